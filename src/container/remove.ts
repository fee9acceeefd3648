// Removal (with force), rename and prune. Removal marks the row "removing" first so a
// crash half-way is finished by recover().
import { rmSync } from 'node:fs';
import { ConflictError, InvalidArgumentError } from '../errors';
import { nowRfc3339Nano } from '../runtime';
import { containerDir, isRunningState, publish, type ServiceContext } from './context';
import { signalContainer } from './lifecycle';
import { validateName } from './names';
import { SIGKILL } from './signals';
import { pruneMatcher } from './filters';

const FORCE_KILL_WAIT_MS = 10000;

export async function removeContainer(ctx: ServiceContext, idOrName: string, options: { force?: boolean } = {}): Promise<void> {
  const { id } = ctx.repo.resolve(idOrName).container;
  const c = ctx.repo.resolve(id).container;
  if (isRunningState(c)) {
    if (!options.force) {
      if (c.state.Paused) {
        throw new ConflictError(`cannot remove container "/${c.name}": container is paused and must be unpaused first`);
      }
      throw new ConflictError(`cannot remove container "/${c.name}": container is ${c.state.Status}: stop the container before removing or force remove`);
    }
    await killAndWait(ctx, id);
  }
  await ctx.locks.run(id, async () => {
    const current = ctx.repo.find(id);
    if (!current) return; // removed meanwhile (AutoRemove)
    if (isRunningState(current.container)) {
      throw new ConflictError(`cannot remove container "/${current.container.name}": container is ${current.container.state.Status}: stop the container before removing or force remove`);
    }
    await removeLocked(ctx, id);
  });
}

/** SIGKILL and wait for the exit to be processed (falls back to runc's view if conmon is gone). */
async function killAndWait(ctx: ServiceContext, id: string): Promise<void> {
  const exited = ctx.waiters.add(id, 'next-exit');
  exited.catch(() => undefined);
  await signalContainer(ctx, id, SIGKILL, `Container ${id} is not running`).catch(() => undefined);
  const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), FORCE_KILL_WAIT_MS).unref())]);
  if (done) return;
  // No exit file came (conmon died): take runc's word and clean up ourselves.
  await ctx.locks.run(id, async () => {
    const st = await ctx.runtime.state(id).catch(() => undefined);
    if (st && st.status !== 'stopped') return;
    await ctx.runtime.delete(id, true).catch(() => undefined);
    await ctx.rootfs.unmount(id).catch(() => undefined);
    const rec = ctx.repo.saveState(id, { Status: 'exited', Running: false, Paused: false, Pid: 0, ExitCode: 137, FinishedAt: nowRfc3339Nano() }, { conmonPid: 0 });
    publish(ctx, 'die', rec.container, { exitCode: '137' });
    ctx.waiters.exited(id, { StatusCode: 137 });
  });
}

/** Deletes everything of a stopped container; the caller holds its lock. */
export async function removeLocked(ctx: ServiceContext, id: string): Promise<void> {
  const before = ctx.repo.resolve(id).container.state.Status;
  const rec = ctx.repo.saveState(id, { Status: 'removing' });
  // After a recorded exit (or a failed start) runc already forgot the container; only an
  // interrupted removal or start can have left runc state behind.
  if (before !== 'exited' && before !== 'created') await ctx.runtime.delete(id, true).catch(() => undefined);
  await ctx.rootfs.remove(id);
  ctx.runtime.clearExit(id);
  rmSync(containerDir(ctx, id), { recursive: true, force: true });
  ctx.repo.delete(id);
  ctx.pendingAttaches.endAll(id);
  ctx.forgetExecs(id);
  publish(ctx, 'destroy', rec.container);
  ctx.waiters.removed(id, { StatusCode: rec.container.state.ExitCode });
}

export async function renameContainer(ctx: ServiceContext, idOrName: string, newNameRaw: string): Promise<void> {
  if (!newNameRaw) throw new InvalidArgumentError('Neither old nor new names may be empty');
  const newName = validateName(newNameRaw);
  const { id } = ctx.repo.resolve(idOrName).container;
  await ctx.locks.run(id, async () => {
    const c = ctx.repo.resolve(id).container;
    if (c.name === newName) throw new InvalidArgumentError('Renaming a container with the same name as its current name');
    ctx.repo.reserveName(newName, id);
    const oldName = c.name;
    try {
      const rec = ctx.repo.rename(id, newName);
      publish(ctx, 'rename', rec.container, { oldName: '/' + oldName });
    } catch (err) {
      ctx.repo.releaseName(newName, id);
      throw err;
    }
  });
}

export async function pruneContainers(ctx: ServiceContext, filters: Record<string, string[]> = {}): Promise<{ deleted: string[]; spaceReclaimed: number }> {
  const matches = pruneMatcher(filters);
  const deleted: string[] = [];
  let spaceReclaimed = 0;
  for (const rec of ctx.repo.all()) {
    const c = rec.container;
    if (isRunningState(c) || !matches(c)) continue;
    await ctx.locks.run(c.id, async () => {
      const current = ctx.repo.find(c.id);
      if (!current || isRunningState(current.container)) return;
      const size = await ctx.rootfs.sizeRw(c.id).catch(() => 0);
      await removeLocked(ctx, c.id);
      deleted.push(c.id);
      spaceReclaimed += size;
    });
  }
  ctx.events.publish('container', 'prune', '', { reclaimed: String(spaceReclaimed) });
  return { deleted, spaceReclaimed };
}
