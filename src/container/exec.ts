// Exec instances: created against a running container, started once (attached or
// detached) under their own conmon, kept in memory with their exit code until the
// container is removed or started again (as dockerd forgets them).
import { ConflictError, InternalError, InvalidArgumentError, NotFoundError } from '../errors';
import { ExecFailedError, resizeTerminal, type ExecSession } from '../runtime';
import { newId } from '../util/ids';
import { log } from '../util/logger';
import { AttachSessionImpl } from './attach';
import { bundleDir, publish, type ServiceContext } from './context';
import { execProcess } from './exec-process';
import type { ExecAttachment, ExecCreateRequest, ExecInspect, ExecService } from './exec-types';
import type { Container } from './types';

/** How long a finished exec instance can still be inspected. */
const FINISHED_EXEC_TTL_MS = 10 * 60 * 1000;

interface ExecRecord {
  id: string;
  containerId: string;
  request: ExecCreateRequest;
  started: boolean;
  running: boolean;
  exitCode: number | null;
  pid: number;
  session?: ExecSession;
  /** A resize that came before conmon had the terminal; applied once the process runs. */
  pendingSize?: [number, number];
}

/** Docker's "exec failed" text: runc's message wrapped as containerd reports it. */
function execFailure(err: unknown): InternalError {
  const msg = err instanceof ExecFailedError ? `OCI runtime exec failed: ${err.message}: unknown` : (err as Error).message;
  return new InternalError(msg);
}

export class ExecManager implements ExecService {
  private readonly execs = new Map<string, ExecRecord>();

  constructor(private readonly ctx: ServiceContext) {}

  create(containerIdOrName: string, request: ExecCreateRequest): string {
    const c = this.ctx.repo.resolve(containerIdOrName).container;
    this.checkRunning(c);
    if (!request.Cmd || request.Cmd.length === 0) throw new InvalidArgumentError('No exec command specified');
    const id = newId();
    this.execs.set(id, { id, containerId: c.id, request, started: false, running: false, exitCode: null, pid: 0 });
    publish(this.ctx, `exec_create: ${request.Cmd.join(' ')}`, c, { execID: id });
    return id;
  }

  inspect(execId: string): ExecInspect {
    const e = this.get(execId);
    const cmd = e.request.Cmd ?? [];
    return {
      CanRemove: false,
      ContainerID: e.containerId,
      DetachKeys: e.request.DetachKeys ?? '',
      ExitCode: e.exitCode,
      ID: e.id,
      OpenStderr: e.request.AttachStderr === true,
      OpenStdin: e.request.AttachStdin === true,
      OpenStdout: e.request.AttachStdout === true,
      ProcessConfig: { arguments: cmd.slice(1), entrypoint: cmd[0] ?? '', privileged: e.request.Privileged === true, tty: e.request.Tty === true, user: e.request.User ?? '' },
      Running: e.running,
      Pid: e.pid,
    };
  }

  idsOf(containerId: string): string[] {
    return [...this.execs.values()].filter((e) => e.containerId === containerId).map((e) => e.id);
  }

  /** The container was started again or removed: its execs are gone. */
  forgetContainer(containerId: string): void {
    for (const [id, e] of this.execs) if (e.containerId === containerId && !e.running) this.execs.delete(id);
  }

  async startDetached(execId: string): Promise<void> {
    const { e, c } = this.claim(execId);
    const session = this.launch(e, c, false);
    await this.awaitPid(e, c, session);
    void session.exit.then((code) => this.finish(e, c, code), () => this.finish(e, c, -1));
  }

  async startAttached(execId: string, consoleSize?: [number, number]): Promise<ExecAttachment> {
    const { e, c } = this.claim(execId);
    if (consoleSize && consoleSize[0] > 0 && consoleSize[1] > 0) e.request = { ...e.request, ConsoleSize: consoleSize };
    const req = e.request;
    const tty = req.Tty === true;
    const t0 = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const session = this.launch(e, c, true);
    const tLaunch = ms();
    const attach = new AttachSessionImpl({
      stdin: req.AttachStdin === true, stdout: req.AttachStdout === true, stderr: req.AttachStderr === true, detachKeys: req.DetachKeys,
    }, tty, () => undefined, () => undefined);
    try {
      await session.ready;
    } catch (err) {
      this.finish(e, c, 126, false);
      throw execFailure(err);
    }
    const tReady = ms();
    attach.connect(session.dir);
    session.begin();
    const done = (async () => {
      try {
        await this.awaitPid(e, c, session);
      } catch (err) {
        attach.close();
        throw err;
      }
      const tPid = ms();
      let code: number;
      try { code = await session.exit; } catch { code = -1; }
      log.debug('exec timing (ms)', { id: e.id, launch: tLaunch, ready: tReady, pid: tPid, exit: ms() });
      this.finish(e, c, code);
      return code;
    })();
    done.catch(() => undefined);
    return { tty, output: attach.output, stdin: attach.stdin, done, close: () => attach.close() };
  }

  resize(execId: string, height: number, width: number): void {
    const e = this.get(execId);
    if (!e.running || !e.session) throw new ConflictError(`Exec ${execId} is not running`);
    if (e.pid === 0) { e.pendingSize = [height, width]; return; }
    resizeTerminal(e.session.dir, height, width);
  }

  private get(execId: string): ExecRecord {
    const e = this.execs.get(execId);
    if (!e) throw new NotFoundError(`No such exec instance: ${execId}`);
    return e;
  }

  private checkRunning(c: Container): void {
    if (c.state.Paused) throw new ConflictError(`Container ${c.id} is paused, unpause the container before exec`);
    if (c.state.Restarting) throw new ConflictError(`Container ${c.id} is restarting, wait until the container is running`);
    if (!c.state.Running) throw new ConflictError(`Container ${c.id} is not running`);
  }

  private claim(execId: string): { e: ExecRecord; c: Container } {
    const e = this.get(execId);
    if (e.running) throw new ConflictError(`Exec command ${execId} is already running`);
    if (e.started) throw new ConflictError(`Exec command ${execId} has already run`);
    const c = this.ctx.repo.resolve(e.containerId).container;
    this.checkRunning(c);
    e.started = true;
    e.running = true;
    return { e, c };
  }

  private launch(e: ExecRecord, c: Container, attach: boolean): ExecSession {
    try {
      const process = execProcess(c, bundleDir(this.ctx, c.id), e.request);
      const session = this.ctx.runtime.exec({ containerId: c.id, execId: e.id, process, openStdin: e.request.AttachStdin === true, attach });
      e.session = session;
      return session;
    } catch (err) {
      this.finish(e, c, 126, false);
      throw err instanceof ExecFailedError ? execFailure(err) : err;
    }
  }

  private async awaitPid(e: ExecRecord, c: Container, session: ExecSession): Promise<void> {
    try {
      e.pid = await session.pid;
    } catch (err) {
      this.finish(e, c, 126, false);
      throw execFailure(err);
    }
    if (e.pendingSize) resizeTerminal(session.dir, e.pendingSize[0], e.pendingSize[1]);
    e.pendingSize = undefined;
    publish(this.ctx, `exec_start: ${(e.request.Cmd ?? []).join(' ')}`, c, { execID: e.id });
  }

  private finish(e: ExecRecord, c: Container, code: number, announce = true): void {
    if (!e.running) return;
    e.running = false;
    e.exitCode = code;
    e.pid = 0;
    e.session = undefined;
    if (announce) publish(this.ctx, 'exec_die', c, { execID: e.id, exitCode: String(code) });
    log.debug('exec finished', { id: e.id, exitCode: code });
    // Finished instances stay inspectable for a while (clients read the exit code right
    // after the stream ends), then go, so a container exec'd into all day holds no pile.
    setTimeout(() => { if (!e.running) this.execs.delete(e.id); }, FINISHED_EXEC_TTL_MS).unref();
  }
}
