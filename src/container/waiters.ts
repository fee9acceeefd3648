// Wait registrations (not-running / next-exit / removed) and internal exit
// subscriptions. Registration is synchronous so no exit can slip between a
// caller's wait() and its start().
import type { WaitCondition } from './types';

export interface WaitResult { StatusCode: number; Error?: { Message: string } }

interface Waiter {
  condition: WaitCondition;
  resolve: (r: WaitResult) => void;
  reject: (err: Error) => void;
  cleanup: () => void;
}

function abortError(): Error {
  const err = new Error('wait aborted');
  err.name = 'AbortError';
  return err;
}

export class Waiters {
  private readonly byId = new Map<string, Set<Waiter>>();

  /** A pending wait for `condition`; settle it through exited()/removed(). */
  add(id: string, condition: WaitCondition, signal?: AbortSignal): Promise<WaitResult> {
    return new Promise<WaitResult>((resolve, reject) => {
      if (signal?.aborted) { reject(abortError()); return; }
      const set = this.byId.get(id) ?? new Set<Waiter>();
      this.byId.set(id, set);
      const onAbort = () => { drop(); reject(abortError()); };
      const drop = () => {
        set.delete(waiter);
        if (set.size === 0 && this.byId.get(id) === set) this.byId.delete(id);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = { condition, resolve, reject, cleanup: drop };
      set.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The container exited: settles not-running and next-exit waits. */
  exited(id: string, result: WaitResult): void {
    this.settle(id, result, (c) => c !== 'removed');
  }

  /** The container is gone: settles every wait, `removed` ones with their result. */
  removed(id: string, result: WaitResult): void {
    this.settle(id, result, () => true);
  }

  private settle(id: string, result: WaitResult, match: (c: WaitCondition) => boolean): void {
    const set = this.byId.get(id);
    if (!set) return;
    for (const w of [...set]) {
      if (!match(w.condition)) continue;
      w.cleanup();
      w.resolve(result);
    }
  }
}
