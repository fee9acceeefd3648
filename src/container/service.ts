// ContainerService: wires the repository, locks, waiters and the lifecycle modules,
// and reacts to exits reported by the runtime.
import type { Readable } from 'node:stream';
import { log } from '../util/logger';
import { ConflictError, NotModifiedError } from '../errors';
import { resizeTerminal, type RuntimeExit } from '../runtime';
import { AttachSessionImpl, PendingAttaches, type AttachOptions, type AttachSession } from './attach';
import { ExecManager } from './exec';
import { bundleDir, isRunningState, publish, type ContainerServiceDeps, type ServiceContext } from './context';
import { createContainer } from './create';
import { filterContainers } from './filters';
import { HealthMonitor } from './health/monitor';
import {
  applyExit, killContainer, pauseContainer, restartContainer, startContainer, stopContainer, unpauseContainer,
} from './lifecycle';
import { KeyedMutex } from './locks';
import { checkLogsReadable, containerLogAttributes } from './log-config';
import { LogRotator } from './log-rotation';
import { openLogStream, type LogStreamOptions } from './log-stream';
import { recoverContainers } from './recover';
import { pruneContainers, removeContainer, removeLocked, renameContainer } from './remove';
import { ContainerRepository } from './repository';
import { RestartManager } from './restart-policy';
import type { Container, ContainerListOptions, ContainerService, CreateContainerRequest, LogOptions, WaitCondition } from './types';
import { Waiters, type WaitResult } from './waiters';
import { statsRecords, topContainer, type ContainerStats, type StatsOptions, type TopResult } from './stats';
import { updateContainer, type ContainerUpdateRequest } from './update';

export class ContainerServiceImpl implements ContainerService {
  private readonly ctx: ServiceContext;
  private readonly restarts: RestartManager;
  private readonly health: HealthMonitor;
  readonly exec: ExecManager;

  constructor(deps: ContainerServiceDeps) {
    let execs: ExecManager | undefined;
    this.ctx = {
      ...deps, repo: new ContainerRepository(deps.db), locks: new KeyedMutex(), waiters: new Waiters(), closed: false,
      pendingAttaches: new PendingAttaches(), forgetExecs: (id) => execs?.forgetContainer(id), logRotator: new LogRotator(),
    };
    this.exec = execs = new ExecManager(this.ctx);
    this.restarts = new RestartManager(this.ctx);
    this.health = new HealthMonitor(this.ctx);
    deps.runtime.onExit((id, exit) => { void this.onExit(id, exit); });
  }

  private async onExit(id: string, exit: RuntimeExit): Promise<void> {
    this.ctx.logRotator.unwatch(id);
    if (this.ctx.closed || !this.ctx.repo.find(id)) return;
    try {
      const applied = await this.ctx.locks.run(id, () => applyExit(this.ctx, id, exit));
      if (applied) await this.afterExit(id);
    } catch (err) {
      log.error('container exit handling failed', { id, error: (err as Error).message });
    }
  }

  /** AutoRemove or restart policy, once an exit has been recorded. */
  private async afterExit(id: string): Promise<void> {
    const rec = this.ctx.repo.find(id);
    if (!rec || isRunningState(rec.container)) return;
    if (rec.container.hostConfig.AutoRemove) {
      await this.ctx.locks.run(id, async () => {
        const cur = this.ctx.repo.find(id);
        if (cur && !isRunningState(cur.container)) await removeLocked(this.ctx, id);
      });
      return;
    }
    this.restarts.afterExit(rec.container);
  }

  create(request: CreateContainerRequest): Promise<{ container: Container; warnings: string[] }> {
    return createContainer(this.ctx, request);
  }

  get(idOrName: string): Container {
    return this.ctx.repo.resolve(idOrName).container;
  }

  list(options?: ContainerListOptions): Container[] {
    return filterContainers({
      all: this.ctx.repo.all().map((r) => r.container),
      resolve: (v) => this.ctx.repo.resolve(v).container,
      images: this.ctx.images,
    }, options);
  }

  async start(idOrName: string): Promise<void> {
    const { id } = this.get(idOrName);
    this.restarts.resetBackoff(id);
    try {
      await startContainer(this.ctx, id);
    } catch (err) {
      // As dockerd: a container that fails to start with AutoRemove is removed, so a
      // client waiting for condition=removed (docker run --rm) gets its answer.
      const rec = this.ctx.repo.find(id);
      if (rec && rec.container.hostConfig.AutoRemove && !isRunningState(rec.container) && !(err instanceof NotModifiedError)) {
        await this.ctx.locks.run(id, () => removeLocked(this.ctx, id)).catch((e: unknown) => log.warn('auto-remove after failed start', { id, error: String(e) }));
      }
      throw err;
    }
  }

  async stop(idOrName: string, options?: { timeout?: number; signal?: string }): Promise<void> {
    const { id } = this.get(idOrName);
    // Stopping during the restart back-off only cancels the pending restart (dockerd: 204 + "stop").
    if (await this.restarts.cancel(id)) { publish(this.ctx, 'stop', this.get(id)); return; }
    return stopContainer(this.ctx, idOrName, options);
  }

  async kill(idOrName: string, signal?: string): Promise<void> {
    if (await this.restarts.cancel(this.get(idOrName).id)) return; // nothing runs to signal
    return killContainer(this.ctx, idOrName, signal);
  }

  pause(idOrName: string): Promise<void> {
    return pauseContainer(this.ctx, idOrName);
  }

  unpause(idOrName: string): Promise<void> {
    return unpauseContainer(this.ctx, idOrName);
  }

  async restart(idOrName: string, options?: { timeout?: number; signal?: string }): Promise<void> {
    const { id } = this.get(idOrName);
    if (await this.restarts.cancel(id)) publish(this.ctx, 'stop', this.get(id));
    return restartContainer(this.ctx, idOrName, options);
  }

  wait(idOrName: string, condition: WaitCondition = 'not-running', signal?: AbortSignal): Promise<WaitResult> {
    let c: Container;
    try { c = this.get(idOrName); } catch (err) { return Promise.reject(err); }
    if (condition === 'not-running' && !isRunningState(c)) {
      return Promise.resolve(c.state.Error ? { StatusCode: c.state.ExitCode, Error: { Message: c.state.Error } } : { StatusCode: c.state.ExitCode });
    }
    return this.ctx.waiters.add(c.id, condition, signal);
  }

  async remove(idOrName: string, options?: { force?: boolean; volumes?: boolean }): Promise<void> {
    // Without force a restarting container is refused (409) like a running one.
    if (options?.force) await this.restarts.cancel(this.get(idOrName).id);
    return removeContainer(this.ctx, idOrName, options);
  }

  rename(idOrName: string, newName: string): Promise<void> {
    return renameContainer(this.ctx, idOrName, newName);
  }

  prune(filters?: Record<string, string[]>): Promise<{ deleted: string[]; spaceReclaimed: number }> {
    return pruneContainers(this.ctx, filters);
  }

  logs(idOrName: string, options: LogOptions, signal?: AbortSignal): Readable {
    const c = this.get(idOrName);
    checkLogsReadable(c);
    const follow = options.follow === true && isRunningState(c);
    return this.logStream(c, follow, signal, (done, streamSignal) => ({
      file: c.logPath, stdout: options.stdout, stderr: options.stderr,
      since: options.since, until: options.until, tail: options.tail === 'all' ? undefined : options.tail,
      follow, done, signal: streamSignal, attrs: options.details ? containerLogAttributes(c) : undefined,
    }));
  }

  async attach(idOrName: string, options: AttachOptions): Promise<AttachSession> {
    const { id } = this.get(idOrName);
    // Under the lock: a start in progress either already connected the waiting sessions or will.
    return this.ctx.locks.run(id, async () => {
      const c = this.get(id);
      const session = new AttachSessionImpl(options, c.config.Tty,
        (s) => this.ctx.pendingAttaches.remove(id, s), () => publish(this.ctx, 'detach', this.get(id)));
      publish(this.ctx, 'attach', c);
      if (c.state.Running && !c.state.Restarting) session.connect(bundleDir(this.ctx, id));
      else this.ctx.pendingAttaches.add(id, session);
      return session;
    });
  }

  resize(idOrName: string, height: number, width: number): void {
    const c = this.get(idOrName);
    if (!c.state.Running) throw new ConflictError(`Container ${c.id} is not running`);
    resizeTerminal(bundleDir(this.ctx, c.id), height, width);
  }

  /** A log stream whose exit waiter (registered now, synchronously) is dropped when the stream closes. */
  private logStream(c: Container, follow: boolean, signal: AbortSignal | undefined,
    options: (done: Promise<unknown> | undefined, signal: AbortSignal) => LogStreamOptions): Readable {
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) ac.abort();
    const done = follow ? this.ctx.waiters.add(c.id, 'next-exit', ac.signal) : undefined;
    done?.catch(() => undefined);
    const stream = openLogStream(options(done, ac.signal));
    stream.once('close', () => { signal?.removeEventListener('abort', onAbort); ac.abort(); });
    return stream;
  }

  async sizes(idOrName: string): Promise<{ sizeRw: number; sizeRootFs: number }> {
    const rec = this.ctx.repo.resolve(idOrName);
    const sizeRw = await this.ctx.rootfs.sizeRw(rec.container.id).catch(() => 0);
    let base = 0;
    try { base = rec.chainId ? this.ctx.layers.chainSize(rec.chainId) : 0; } catch { /* layers gone */ }
    return { sizeRw, sizeRootFs: sizeRw + base };
  }

  usingImage(imageId: string): Container[] {
    return this.ctx.repo.all().map((r) => r.container).filter((c) => c.imageId === imageId);
  }

  stats(idOrName: string, options: StatsOptions, signal?: AbortSignal): AsyncIterable<ContainerStats> {
    const { id } = this.get(idOrName);
    return statsRecords(() => this.ctx.repo.find(id)?.container, this.ctx.cgroupParent, options, signal);
  }

  async top(idOrName: string, psArgs: string): Promise<TopResult> {
    const c = this.get(idOrName);
    const result = await topContainer(c, this.ctx.cgroupParent, psArgs);
    publish(this.ctx, 'top', c);
    return result;
  }

  update(idOrName: string, request: ContainerUpdateRequest): Promise<{ warnings: string[] }> {
    return updateContainer(this.ctx, idOrName, request);
  }

  async recover(): Promise<void> {
    await recoverContainers(this.ctx, (id) => this.afterExit(id));
    this.health.recover();
    this.restarts.onDaemonStart();
  }

  async close(): Promise<void> {
    this.ctx.closed = true;
    this.ctx.logRotator.close();
    this.restarts.close();
    this.health.close();
  }
}

