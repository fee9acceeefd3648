// Cache mount directories: one per cache ID under <data-root>/build/cache-mounts,
// kept between builds (and daemon restarts) until `builder prune`. Sharing as
// BuildKit's: "shared" lets concurrent steps use it together, "locked" makes them
// take turns, "private" gives a step that finds it busy a throwaway directory.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../../errors';

export type CacheSharing = 'shared' | 'private' | 'locked';

interface CacheUse { users: number; tail: Promise<void> }

const inUse = new Map<string, CacheUse>();

export interface HeldCacheDir { dir: string; release(): Promise<void> }

export async function acquireCacheDir(base: string, id: string, sharing: CacheSharing, owner: { mode: number; uid: number; gid: number }, signal?: AbortSignal): Promise<HeldCacheDir> {
  const dir = path.join(base, createHash('sha256').update(id).digest('hex').slice(0, 32));
  const use = inUse.get(dir) ?? { users: 0, tail: Promise.resolve() };
  inUse.set(dir, use);
  if (sharing === 'private' && use.users > 0) {
    const tmp = `${dir}.private-${process.pid}-${Math.random().toString(16).slice(2)}`;
    makeDir(tmp, owner);
    return { dir: tmp, release: async () => fs.rmSync(tmp, { recursive: true, force: true }) };
  }
  let unlock = () => undefined as void;
  if (sharing === 'locked') {
    const previous = use.tail;
    use.tail = new Promise<void>((resolve) => { unlock = resolve; });
    await previous;
    if (signal?.aborted) { unlock(); throw new InvalidArgumentError('build canceled'); }
  }
  use.users++;
  makeDir(dir, owner);
  return {
    dir,
    release: async () => {
      use.users--;
      unlock();
    },
  };
}

function makeDir(dir: string, owner: { mode: number; uid: number; gid: number }): void {
  if (fs.existsSync(dir)) return;
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  fs.mkdirSync(dir, { mode: owner.mode });
  fs.chmodSync(dir, owner.mode);
  fs.chownSync(dir, owner.uid, owner.gid);
}

/** builder prune: drops the cache mounts no step is using; returns the bytes freed. */
export function pruneCacheDirs(base: string): number {
  if (!fs.existsSync(base)) return 0;
  let freed = 0;
  for (const name of fs.readdirSync(base)) {
    const dir = path.join(base, name);
    if ((inUse.get(dir)?.users ?? 0) > 0 || name.includes('.private-')) continue;
    freed += duBytes(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return freed;
}

function duBytes(p: string): number {
  const st = fs.lstatSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((n, c) => n + duBytes(path.join(p, c)), 0);
}

/** Start-up: the throwaway dirs of "private" uses a crash interrupted. */
export function removePrivateCacheDirs(base: string): void {
  if (!fs.existsSync(base)) return;
  for (const name of fs.readdirSync(base)) {
    if (name.includes('.private-')) fs.rmSync(path.join(base, name), { recursive: true, force: true });
  }
}
