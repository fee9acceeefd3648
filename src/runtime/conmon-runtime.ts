// ContainerRuntime over conmon + runc. All state lives in runc's root, conmon's exit
// and persist dirs, so a restarted daemon manages containers it did not start.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { ConflictError, InternalError, NotFoundError } from '../errors';
import { launchConmon, CreateFailedError } from './conmon';
import { launchConmonExec } from './conmon-exec';
import { ExitWatcher } from './exit-watcher';
import { Runc, RuncError } from './runc';
import { runProbe } from './probe';
import { translateCreateError } from './start-errors';
import { which } from './which';
import type { ContainerRuntime, ExecSession, ProbeOptions, ProbeResult, RuntimeCreateOptions, RuntimeExecOptions, RuntimeExit, RuntimeStatus } from './types';
import type { OciResources } from './spec/types';

export interface RuntimeOptions {
  runtimePath: string;
  runtimeRoot: string;
  conmonRoot: string;
  conmonPath?: string;
  logLevel?: string;
}

export class ConmonRuntime implements ContainerRuntime {
  private readonly runc: Runc;
  private readonly exitDir: string;
  private readonly persistRoot: string;
  private readonly socketDir: string;
  private readonly execRoot: string;
  private readonly watcher: ExitWatcher;
  private readonly conmonPath: string;
  private readonly runtimePath: string;
  private readonly logLevel: string;

  constructor(private readonly options: RuntimeOptions) {
    this.runtimePath = which(options.runtimePath);
    this.conmonPath = which(options.conmonPath ?? 'conmon');
    this.runc = new Runc(this.runtimePath, options.runtimeRoot);
    this.exitDir = path.join(options.conmonRoot, 'exits');
    this.persistRoot = path.join(options.conmonRoot, 'persist');
    this.socketDir = path.join(options.conmonRoot, 'sockets');
    this.execRoot = path.join(options.conmonRoot, 'exec');
    // Exec sessions do not outlive the daemon that started them.
    rmSync(this.execRoot, { recursive: true, force: true });
    for (const dir of [options.runtimeRoot, this.exitDir, this.persistRoot, this.socketDir, this.execRoot]) mkdirSync(dir, { recursive: true, mode: 0o700 });
    // conmon's own messages go to /dev/null once it daemonizes; only debug is worth asking for.
    this.logLevel = options.logLevel === 'debug' ? 'debug' : 'error';
    this.watcher = new ExitWatcher(this.exitDir, this.persistRoot);
    this.watcher.start();
  }

  async start(o: RuntimeCreateOptions): Promise<{ pid: number; conmonPid: number }> {
    this.clearExit(o.id);
    const persistDir = path.join(this.persistRoot, o.id);
    mkdirSync(persistDir, { recursive: true, mode: 0o700 });
    rmSync(path.join(o.bundleDir, 'oom'), { force: true });
    let pid: number;
    try {
      pid = await launchConmon({
        conmonPath: this.conmonPath,
        runtimePath: this.runtimePath,
        runtimeRoot: this.options.runtimeRoot,
        id: o.id,
        bundleDir: o.bundleDir,
        pidFile: path.join(persistDir, 'pidfile'),
        conmonPidFile: path.join(persistDir, 'conmon.pid'),
        exitDir: this.exitDir,
        persistDir,
        socketDir: this.socketDir,
        logPath: o.logPath,
        logLevel: this.logLevel,
        tty: o.tty,
        openStdin: o.openStdin,
        leaveStdinOpen: o.leaveStdinOpen,
        logSizeMax: o.logSizeMax,
        noLog: o.noLog,
      });
    } catch (err) {
      // runc may have left a half-created container behind; conmon exits on its own.
      await this.runc.delete(o.id, true).catch(() => undefined);
      this.clearExit(o.id);
      if (err instanceof CreateFailedError) throw translateCreateError(err.message);
      throw new InternalError(`failed to start conmon: ${(err as Error).message}`, { cause: err });
    }
    const conmonPid = readPidFile(path.join(persistDir, 'conmon.pid'));
    try {
      if (o.beforeStart) await o.beforeStart();
      await this.runc.start(o.id);
    } catch (err) {
      await this.runc.delete(o.id, true).catch(() => undefined);
      throw translateCreateError((err as Error).message);
    }
    return { pid, conmonPid };
  }

  async kill(id: string, signal: string | number): Promise<void> {
    try {
      await this.runc.kill(id, signal);
    } catch (err) {
      throw this.mapError(id, err);
    }
  }

  async pause(id: string): Promise<void> {
    try { await this.runc.pause(id); } catch (err) { throw this.mapError(id, err); }
  }

  async resume(id: string): Promise<void> {
    try { await this.runc.resume(id); } catch (err) { throw this.mapError(id, err); }
  }

  async update(id: string, resources: OciResources): Promise<void> {
    const { devices: _devices, ...limits } = resources; // runc update does not take device rules
    try { await this.runc.update(id, limits); } catch (err) { throw this.mapError(id, err); }
  }

  async delete(id: string, force = false): Promise<void> {
    try { await this.runc.delete(id, force); } catch (err) { throw this.mapError(id, err); }
  }

  async state(id: string): Promise<{ status: RuntimeStatus; pid: number } | undefined> {
    const st = await this.runc.state(id);
    if (!st) return undefined;
    const status: RuntimeStatus = st.status === 'running' || st.status === 'paused' || st.status === 'created' ? st.status : 'stopped';
    return { status, pid: st.pid };
  }

  readExit(id: string): RuntimeExit | undefined {
    return this.watcher.read(id);
  }

  /** Drops the exit record and conmon's persist dir (before a restart, and on removal). */
  clearExit(id: string): void {
    rmSync(path.join(this.exitDir, id), { force: true });
    rmSync(path.join(this.persistRoot, id), { recursive: true, force: true });
    this.watcher.forget(id);
  }

  onExit(listener: (id: string, exit: RuntimeExit) => void): void {
    this.watcher.onExit(listener);
  }

  probe(id: string, argv: string[], options: ProbeOptions): Promise<ProbeResult> {
    return runProbe({
      runtimePath: this.runtimePath,
      runtimeRoot: this.options.runtimeRoot,
      scratchDir: path.join(this.options.conmonRoot, 'probes'),
      bundleOf: async (cid) => {
        const st = await this.runc.state(cid).catch(() => undefined);
        return st && st.status === 'running' ? st.bundle : undefined;
      },
    }, id, argv, options);
  }

  isConmonAlive(conmonPid: number): boolean {
    if (!(conmonPid > 0)) return false;
    try {
      return readFileSync(`/proc/${conmonPid}/comm`, 'utf8').trim() === 'conmon';
    } catch {
      return false;
    }
  }

  exec(o: RuntimeExecOptions): ExecSession {
    const dir = path.join(this.execRoot, o.execId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    let session;
    try {
      session = launchConmonExec({
        conmonPath: this.conmonPath, runtimePath: this.runtimePath, runtimeRoot: this.options.runtimeRoot,
        containerId: o.containerId, execId: o.execId, dir, socketDir: this.socketDir,
        // conmon's debug lines from its runc child would land in the exec's own stderr.
        logLevel: 'error',
        process: o.process, openStdin: o.openStdin, attach: o.attach,
      });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    const cleanup = () => { rmSync(dir, { recursive: true, force: true }); };
    session.exit.then(cleanup, cleanup);
    return { dir, ready: session.ready, begin: () => session.begin(), abort: () => session.abort(), pid: session.pid, exit: session.exit };
  }

  close(): void {
    this.watcher.close();
  }

  private mapError(id: string, err: unknown): Error {
    if (err instanceof RuncError) {
      if (err.notExist) return new NotFoundError(`No such container: ${id}`);
      if (err.notRunning) return new ConflictError(`Container ${id} is not running`);
      return new InternalError(err.message, { cause: err });
    }
    return err instanceof Error ? err : new InternalError(String(err));
  }
}

function readPidFile(file: string): number {
  try {
    const n = parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}
