// Start-up reconciliation: the rows say what the previous daemon believed; runc, conmon
// and the exit files say what happened. Running containers are kept (the exit watcher
// covers them again), exits that happened meanwhile are applied with their real code
// and time, interrupted removals are finished, and orphaned dirs are deleted.
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { nowRfc3339Nano } from '../runtime';
import { bundleDir, isRunningState, type ServiceContext } from './context';
import { watchContainerLog } from './log-rotation';
import { applyExit } from './lifecycle';
import { removeLocked } from './remove';

/** Exit code recorded when a container vanished without an exit file (Docker uses 255 for unknown). */
const UNKNOWN_EXIT = 255;

export async function recoverContainers(ctx: ServiceContext, afterExit: (id: string) => Promise<void>): Promise<void> {
  const known = new Set(ctx.repo.all().map((r) => r.container.id));
  const exitedNow: string[] = [];
  await Promise.all(ctx.repo.all().map((r) => ctx.locks.run(r.container.id, async () => {
    if (await recoverOne(ctx, r.container.id)) exitedNow.push(r.container.id);
  })));
  for (const id of exitedNow) await afterExit(id);

  // Leftovers of creations or removals interrupted before their row was written/deleted.
  for (const id of await ctx.rootfs.list().catch(() => [] as string[])) {
    if (!known.has(id)) await ctx.rootfs.remove(id).catch(() => undefined);
  }
  let dirs: string[] = [];
  try { dirs = readdirSync(ctx.root); } catch { /* no containers yet */ }
  for (const name of dirs) {
    if (/^[a-f0-9]{64}$/.test(name) && !known.has(name)) {
      ctx.runtime.clearExit(name);
      rmSync(path.join(ctx.root, name), { recursive: true, force: true });
    }
  }
}

/** Reconciles one container (lock held); true when an exit was applied now. */
async function recoverOne(ctx: ServiceContext, id: string): Promise<boolean> {
  const rec = ctx.repo.find(id);
  if (!rec) return false;
  const c = rec.container;
  if (c.state.Status === 'removing') {
    await removeLocked(ctx, id);
    return false;
  }
  if (c.state.Status === 'restarting') {
    // A policy restart was pending: the new daemon's restart manager decides again.
    ctx.repo.saveState(id, { Status: 'exited', Restarting: false, Running: false });
    if (ctx.rootfs.isMounted(id)) await ctx.rootfs.unmount(id).catch(() => undefined);
    return false;
  }
  const st = await ctx.runtime.state(id).catch(() => undefined);
  const live = st !== undefined && (st.status === 'running' || st.status === 'paused');
  if (isRunningState(c)) {
    if (live && ctx.runtime.isConmonAlive(rec.conmonPid)) {
      const paused = st.status === 'paused';
      ctx.repo.saveState(id, { Status: paused ? 'paused' : 'running', Running: true, Paused: paused, Pid: st.pid });
      await ctx.rootfs.mount(id); // idempotent: makes sure the rootfs is still there
      watchContainerLog(ctx.logRotator, c, bundleDir(ctx, id)); // rotation resumes (at once if the log grew meanwhile)
      return false;
    }
    let exit = ctx.runtime.readExit(id);
    if (!exit) {
      // conmon is gone without recording an exit: nobody supervises the process any more.
      if (live) await ctx.runtime.kill(id, 'KILL').catch(() => undefined);
      exit = { exitCode: UNKNOWN_EXIT, finishedAt: nowRfc3339Nano(), oomKilled: false };
    }
    return (await applyExit(ctx, id, exit)) !== undefined;
  }
  // Not running by our records: anything runc still has is from an interrupted start.
  if (st) await ctx.runtime.delete(id, true).catch(() => undefined);
  if (ctx.rootfs.isMounted(id)) await ctx.rootfs.unmount(id).catch(() => undefined);
  return false;
}
