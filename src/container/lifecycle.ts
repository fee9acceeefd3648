// The lifecycle state machine: created → running ⇄ paused → exited → running / removed.
// Every transition runs under the container's lock: reload → act → save → event.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConflictError, NotModifiedError } from '../errors';
import { buildSpec, isStartError, lookupInitBinary, mkdirAllInRoot, nowRfc3339Nano, serializeSpec, type RuntimeExit } from '../runtime';
import { bundleDir, isRunningState, publish, type ServiceContext } from './context';
import { parseSignal, SIGKILL } from './signals';
import type { ContainerRecord } from './repository';
import { conmonLogSizeMax, startLogPolicy, watchContainerLog } from './log-rotation';
import { exitWasOomKill } from './oom';

const DEFAULT_STOP_TIMEOUT = 10;

export async function startContainer(ctx: ServiceContext, idOrName: string): Promise<void> {
  const { id } = ctx.repo.resolve(idOrName).container;
  await ctx.locks.run(id, () => startLocked(ctx, id, { resetRestartCount: true }));
}

/** `resetRestartCount`: a user start (start, restart, daemon start-up) zeroes RestartCount as dockerd does. */
export async function startLocked(ctx: ServiceContext, id: string, options: { resetRestartCount?: boolean } = {}): Promise<void> {
  const c = ctx.repo.resolve(id).container;
  if (c.state.Paused) throw new ConflictError('cannot start a paused container, try unpause instead');
  if (isRunningState(c)) throw new NotModifiedError();
  if (c.state.Status === 'removing') throw new ConflictError(`container is marked for removal and cannot be started`);
  const rootfs = await ctx.rootfs.mount(id);
  try {
    const wantInit = c.hostConfig.Init ?? ctx.init?.enabled ?? false;
    const { spec, user } = buildSpec({
      initBinary: wantInit ? lookupInitBinary(ctx.init?.path) : undefined,
      id, rootfs, path: c.path, args: c.args, config: c.config, hostConfig: c.hostConfig,
      hostsPath: c.hostsPath, hostnamePath: c.hostnamePath, resolvConfPath: c.resolvConfPath, cgroupParent: ctx.cgroupParent,
    });
    if (c.config.WorkingDir) mkdirAllInRoot(rootfs, c.config.WorkingDir, user.uid, user.gid);
    const bundle = bundleDir(ctx, id);
    writeFileSync(path.join(bundle, 'config.json'), serializeSpec(spec), { mode: 0o600 });
    // Taken before the process runs so that FinishedAt (the exit file's mtime) is never earlier.
    const startedAt = nowRfc3339Nano();
    ctx.forgetExecs(id);
    const logSizeMax = conmonLogSizeMax(startLogPolicy(c));
    // Watched before the process runs: a burst of output right at start is rotated too.
    watchContainerLog(ctx.logRotator, c, bundle);
    const { pid, conmonPid } = await ctx.runtime.start({
      id, bundleDir: bundle, logPath: c.logPath, tty: c.config.Tty, openStdin: c.config.OpenStdin,
      // dockerd closes stdin after the first attached client only for StdinOnce without a TTY.
      leaveStdinOpen: c.config.Tty || !c.config.StdinOnce,
      logSizeMax, noLog: c.hostConfig.LogConfig.Type === 'none',
      beforeStart: async () => { ctx.pendingAttaches.connectAll(id, bundle); },
    });
    const started = ctx.repo.saveState(id, {
      Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false,
      Pid: pid, ExitCode: 0, Error: '', StartedAt: startedAt,
    }, { manuallyStopped: false, conmonPid, ...(options.resetRestartCount ? { restartCount: 0 } : {}) });
    publish(ctx, 'start', started.container);
  } catch (err) {
    ctx.logRotator.unwatch(id);
    await ctx.rootfs.unmount(id).catch(() => undefined);
    const message = err instanceof Error ? err.message : String(err);
    ctx.repo.saveState(id, { ExitCode: isStartError(err) ? err.exitCode : 128, Error: message });
    throw err;
  }
}

/** Sends a signal (the lock is held only for the send); unfreezes a paused container as Docker does. */
export async function signalContainer(ctx: ServiceContext, id: string, signal: number, notRunningMessage: string): Promise<void> {
  await ctx.locks.run(id, async () => {
    const c = ctx.repo.resolve(id).container;
    if (!isRunningState(c)) throw new ConflictError(notRunningMessage);
    const stopSignal = c.config.StopSignal ? parseSignal(c.config.StopSignal) : undefined;
    const unpause = c.state.Paused && (signal === SIGKILL || stopSignal === undefined || stopSignal === signal);
    ctx.repo.saveState(id, {}, { manuallyStopped: true });
    try {
      await ctx.runtime.kill(id, signal);
    } catch (err) {
      // Exited meanwhile: its exit is being processed; nothing left to signal.
      if ((err as { kind?: string }).kind !== 'conflict' && (err as { kind?: string }).kind !== 'not-found') throw err;
    }
    if (unpause) await ctx.runtime.resume(id).catch(() => undefined);
    publish(ctx, 'kill', ctx.repo.resolve(id).container, { signal: String(signal) });
    if (unpause) publish(ctx, 'unpause', ctx.repo.saveState(id, { Paused: false, Status: 'running' }).container);
  });
}

export async function killContainer(ctx: ServiceContext, idOrName: string, rawSignal?: string): Promise<void> {
  const c = ctx.repo.resolve(idOrName).container;
  const signal = rawSignal ? parseSignal(rawSignal) : SIGKILL;
  if (signal !== SIGKILL) {
    await signalContainer(ctx, c.id, signal, `Cannot kill container: ${idOrName}: Container ${c.id} is not running`);
    return;
  }
  // dockerd's kill(): SIGKILL answers only once the exit was recorded (at most 10 s), so a
  // following exec/inspect already sees the container stopped.
  const ac = new AbortController();
  const exited = ctx.waiters.add(c.id, 'next-exit', ac.signal);
  exited.catch(() => undefined);
  try {
    await signalContainer(ctx, c.id, signal, `Cannot kill container: ${idOrName}: Container ${c.id} is not running`);
    if (isRunningState(ctx.repo.resolve(c.id).container)) await exitWithin(ctx, c.id, KILL_WAIT_SEC, exited);
  } finally {
    ac.abort();
  }
}

const KILL_WAIT_SEC = 10;

/** Resolves true once the container's current run has exited, false after `timeoutSec` (-1: never). */
function exitWithin(ctx: ServiceContext, id: string, timeoutSec: number, exited: Promise<unknown>): Promise<boolean> {
  if (timeoutSec < 0) return exited.then(() => true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutSec * 1000);
    exited.then(() => { clearTimeout(timer); resolve(true); }, () => { clearTimeout(timer); resolve(true); });
  });
}

export async function stopContainer(ctx: ServiceContext, idOrName: string, options: { timeout?: number; signal?: string } = {}): Promise<void> {
  const c = ctx.repo.resolve(idOrName).container;
  if (!isRunningState(c)) throw new NotModifiedError();
  await stopRunning(ctx, c.id, options);
}

export async function stopRunning(ctx: ServiceContext, id: string, options: { timeout?: number; signal?: string }): Promise<void> {
  const c = ctx.repo.resolve(id).container;
  const signal = parseSignal(options.signal || c.config.StopSignal || 'SIGTERM');
  const timeout = options.timeout ?? c.config.StopTimeout ?? DEFAULT_STOP_TIMEOUT;
  const exited = ctx.waiters.add(id, 'next-exit');
  exited.catch(() => undefined);
  try {
    await signalContainer(ctx, id, signal, `Container ${id} is not running`);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
  if (!isRunningState(ctx.repo.resolve(id).container)) {
    // Already exited (the exit was processed before our waiter could matter).
  } else if (!(await exitWithin(ctx, id, timeout, exited))) {
    await signalContainer(ctx, id, SIGKILL, `Container ${id} is not running`).catch(() => undefined);
    await exited;
  }
  publish(ctx, 'stop', ctx.repo.find(id)?.container ?? c);
}

export async function pauseContainer(ctx: ServiceContext, idOrName: string): Promise<void> {
  const { id } = ctx.repo.resolve(idOrName).container;
  await ctx.locks.run(id, async () => {
    const c = ctx.repo.resolve(id).container;
    if (!isRunningState(c)) throw new ConflictError(`Container ${id} is not running`);
    if (c.state.Paused) throw new ConflictError(`Container ${id} is already paused`);
    if (c.state.Restarting) throw new ConflictError(`Container ${id} is restarting, wait until the container is running`);
    await ctx.runtime.pause(id);
    publish(ctx, 'pause', ctx.repo.saveState(id, { Paused: true, Status: 'paused' }).container);
  });
}

export async function unpauseContainer(ctx: ServiceContext, idOrName: string): Promise<void> {
  const { id } = ctx.repo.resolve(idOrName).container;
  await ctx.locks.run(id, async () => {
    const c = ctx.repo.resolve(id).container;
    if (!c.state.Paused) throw new ConflictError(`Container ${id} is not paused`);
    await ctx.runtime.resume(id);
    publish(ctx, 'unpause', ctx.repo.saveState(id, { Paused: false, Status: 'running' }).container);
  });
}

export async function restartContainer(ctx: ServiceContext, idOrName: string, options: { timeout?: number; signal?: string } = {}): Promise<void> {
  const { id } = ctx.repo.resolve(idOrName).container;
  if (isRunningState(ctx.repo.resolve(id).container)) await stopRunning(ctx, id, options);
  await ctx.locks.run(id, async () => {
    const c = ctx.repo.resolve(id).container;
    if (!isRunningState(c)) await startLocked(ctx, id, { resetRestartCount: true });
  });
  publish(ctx, 'restart', ctx.repo.resolve(id).container);
}

/**
 * The container's process exited (conmon wrote its exit file): clean up runc state and
 * the mount, record the exit, wake waiters, publish "die", and honour AutoRemove.
 * Returns the record when the exit was applied (so the caller can auto-remove).
 */
export async function applyExit(ctx: ServiceContext, id: string, exit: RuntimeExit | undefined): Promise<ContainerRecord | undefined> {
  const rec = ctx.repo.find(id);
  if (!rec || (rec.container.state.Status !== 'running' && rec.container.state.Status !== 'paused')) return undefined;
  // The file on disk is authoritative: an event for a previous run's file (cleared at start) is ignored.
  const recorded = ctx.runtime.readExit(id) ?? exit;
  if (!recorded) return undefined;
  const current = { ...recorded, oomKilled: exitWasOomKill(id, ctx.cgroupParent, recorded.exitCode, recorded.oomKilled) };
  const updated = ctx.repo.saveState(id, {
    Status: 'exited', Running: false, Paused: false, Restarting: false, Pid: 0,
    ExitCode: current.exitCode, FinishedAt: current.finishedAt, OOMKilled: current.oomKilled,
  }, { conmonPid: 0 });
  const c = updated.container;
  const started = Date.parse(c.state.StartedAt);
  const finished = Date.parse(c.state.FinishedAt);
  const execDuration = Number.isFinite(started) && Number.isFinite(finished) ? Math.max(0, Math.round((finished - started) / 1000)) : 0;
  if (current.oomKilled) publish(ctx, 'oom', c);
  publish(ctx, 'die', c, { exitCode: String(current.exitCode), execDuration: String(execDuration) });
  ctx.waiters.exited(id, { StatusCode: current.exitCode });
  // Waiters are answered first; cleanup still runs under the lock, so the next action on
  // this container waits for it, and recover() redoes it after a crash (exited + mounted).
  await Promise.all([
    ctx.runtime.delete(id, true).catch(() => undefined),
    ctx.rootfs.unmount(id).catch(() => undefined),
  ]);
  return updated;
}
