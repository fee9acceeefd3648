// A RootfsStore that lets short-lived users (cp, export, diff, commit) borrow a
// container's overlay mount. The lifecycle mounts at start and unmounts at exit;
// a borrower mounts only when nothing is mounted and unmounts only a mount it
// made itself once the last borrower is gone. So a container that starts while
// `docker cp` reads its stopped filesystem keeps its mount, and a container that
// exits during an export has its mount removed when the export ends.
import type { RootfsStore } from '../../snapshot/types';

interface Users {
  count: number;
  /** The mount belongs to the lifecycle (mounted by start, or found mounted). */
  runHold: boolean;
}

export class SharedRootfsStore implements RootfsStore {
  private readonly users = new Map<string, Users>();
  /** Serialises mount/unmount decisions per container. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly inner: RootfsStore) {}

  /** Mounts (if needed) and returns the rootfs path; pair with release(). */
  acquire(containerId: string): Promise<string> {
    return this.serial(containerId, async () => {
      let u = this.users.get(containerId);
      if (!u) {
        u = { count: 0, runHold: this.inner.isMounted(containerId) };
        this.users.set(containerId, u);
      }
      const target = await this.inner.mount(containerId);
      u.count++;
      return target;
    });
  }

  release(containerId: string): Promise<void> {
    return this.serial(containerId, async () => {
      const u = this.users.get(containerId);
      if (!u) return;
      u.count--;
      if (u.count > 0) return;
      this.users.delete(containerId);
      if (!u.runHold) await this.inner.unmount(containerId);
    });
  }

  create(containerId: string, chainId: string | null): Promise<void> {
    return this.inner.create(containerId, chainId);
  }

  mount(containerId: string): Promise<string> {
    return this.serial(containerId, () => {
      const u = this.users.get(containerId);
      if (u) u.runHold = true;
      return this.inner.mount(containerId);
    });
  }

  unmount(containerId: string): Promise<void> {
    return this.serial(containerId, async () => {
      const u = this.users.get(containerId);
      if (u) { u.runHold = false; return; } // the last borrower unmounts
      await this.inner.unmount(containerId);
    });
  }

  isMounted(containerId: string): boolean {
    return this.inner.isMounted(containerId);
  }

  remove(containerId: string): Promise<void> {
    return this.serial(containerId, () => {
      this.users.delete(containerId);
      return this.inner.remove(containerId);
    });
  }

  rootfsPath(containerId: string): string { return this.inner.rootfsPath(containerId); }
  upperDir(containerId: string): string { return this.inner.upperDir(containerId); }
  lowerDirs(containerId: string): string[] { return this.inner.lowerDirs(containerId); }
  sizeRw(containerId: string): Promise<number> { return this.inner.sizeRw(containerId); }
  list(): Promise<string[]> { return this.inner.list(); }

  private serial<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const result = prev.then(fn, fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    return result;
  }
}
