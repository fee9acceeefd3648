// Typed container endpoints (/containers/...).
import type { IncomingMessage } from 'node:http';
import { readBody, type EngineClient, type HijackedConnection } from './http-client';
import type {
  ContainerCreateBody, ContainerInspect, ContainerPruneReport, ContainerSummary, CreateResponse, Filters, WaitResponse,
} from './types';
import { encodeFilters } from './filters';
import type { TopResponse, UpdateBody } from './stats-types';

const enc = encodeURIComponent;

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface ListOptions { all?: boolean; limit?: number; size?: boolean; filters?: Filters }
export interface LogsOptions {
  stdout?: boolean; stderr?: boolean; follow?: boolean; timestamps?: boolean;
  since?: string; until?: string; tail?: string; details?: boolean; signal?: AbortSignal;
}
export interface ExecCreateConfig {
  Cmd: string[];
  User?: string;
  Privileged?: boolean;
  Tty?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Env?: string[];
  WorkingDir?: string;
  DetachKeys?: string;
  ConsoleSize?: [number, number];
}
export interface ExecInspectResponse { ID: string; Running: boolean; ExitCode: number | null; Pid: number; ContainerID: string }
export interface AttachOptions { stream?: boolean; logs?: boolean; stdin?: boolean; stdout?: boolean; stderr?: boolean; detachKeys?: string }

export class ContainerApi {
  constructor(private readonly c: EngineClient) {}

  create(body: ContainerCreateBody, name?: string, platform?: string): Promise<CreateResponse> {
    return this.c.json({ method: 'POST', path: '/containers/create', query: { name, platform }, body });
  }

  list(o: ListOptions = {}): Promise<ContainerSummary[]> {
    const limit = o.limit !== undefined && o.limit > 0 ? o.limit : undefined;
    return this.c.json({
      path: '/containers/json',
      query: { all: o.all || undefined, limit, size: o.size || undefined, filters: encodeFilters(o.filters) },
    });
  }

  inspect(id: string, size = false): Promise<ContainerInspect> {
    return this.c.json({ path: `/containers/${enc(id)}/json`, query: { size: size || undefined } });
  }

  /** Returns false when the daemon answered 304 (already started). */
  async start(id: string): Promise<boolean> {
    return (await this.c.call({ method: 'POST', path: `/containers/${enc(id)}/start` })) !== 304;
  }

  async stop(id: string, opts: { timeout?: number; signal?: string } = {}): Promise<boolean> {
    const query = { t: opts.timeout, signal: opts.signal || undefined };
    return (await this.c.call({ method: 'POST', path: `/containers/${enc(id)}/stop`, query })) !== 304;
  }

  async restart(id: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const query = { t: opts.timeout, signal: opts.signal || undefined };
    await this.c.call({ method: 'POST', path: `/containers/${enc(id)}/restart`, query });
  }

  async kill(id: string, signal?: string): Promise<void> {
    await this.c.call({ method: 'POST', path: `/containers/${enc(id)}/kill`, query: { signal: signal || undefined } });
  }

  async pause(id: string): Promise<void> {
    await this.c.call({ method: 'POST', path: `/containers/${enc(id)}/pause` });
  }

  async unpause(id: string): Promise<void> {
    await this.c.call({ method: 'POST', path: `/containers/${enc(id)}/unpause` });
  }

  async rename(id: string, name: string): Promise<void> {
    await this.c.call({ method: 'POST', path: `/containers/${enc(id)}/rename`, query: { name } });
  }

  async remove(id: string, opts: { force?: boolean; volumes?: boolean; link?: boolean } = {}): Promise<void> {
    const query = { force: opts.force || undefined, v: opts.volumes || undefined, link: opts.link || undefined };
    await this.c.call({ method: 'DELETE', path: `/containers/${enc(id)}`, query });
  }

  wait(id: string, condition?: WaitCondition, signal?: AbortSignal): Promise<WaitResponse> {
    return this.c.json({ method: 'POST', path: `/containers/${enc(id)}/wait`, query: { condition }, signal });
  }

  /**
   * Register a wait and resolve once the daemon has answered the headers (the waiter
   * exists from then on, so a start sent afterwards cannot be missed); the inner
   * promise settles at the exit.
   */
  async waitRegistered(id: string, condition?: WaitCondition, signal?: AbortSignal): Promise<{ result: Promise<WaitResponse> }> {
    const res = await this.c.request({ method: 'POST', path: `/containers/${enc(id)}/wait`, query: { condition }, signal });
    const result = readBody(res).then((body) => JSON.parse(body.toString('utf8')) as WaitResponse);
    result.catch(() => undefined);
    return { result };
  }

  /** The log stream (multiplexed unless the container has a TTY). */
  logs(id: string, o: LogsOptions): Promise<IncomingMessage> {
    return this.c.request({
      path: `/containers/${enc(id)}/logs`,
      query: {
        stdout: o.stdout ?? true, stderr: o.stderr ?? true, follow: o.follow || undefined,
        timestamps: o.timestamps || undefined, since: o.since, until: o.until, tail: o.tail, details: o.details || undefined,
      },
      signal: o.signal,
    });
  }

  attach(id: string, o: AttachOptions): Promise<HijackedConnection> {
    return this.c.hijack({
      method: 'POST',
      path: `/containers/${enc(id)}/attach`,
      query: {
        stream: o.stream ?? true, logs: o.logs || undefined, stdin: o.stdin || undefined,
        stdout: o.stdout || undefined, stderr: o.stderr || undefined, detachKeys: o.detachKeys,
      },
    });
  }

  /** POST /containers/{id}/exec → the exec ID. */
  async execCreate(id: string, config: ExecCreateConfig): Promise<string> {
    const res = await this.c.json<{ Id: string }>({ method: 'POST', path: `/containers/${enc(id)}/exec`, body: config });
    return res.Id;
  }

  /** Detached start: returns once the process runs. */
  async execStartDetached(execId: string): Promise<void> {
    await this.c.call({ method: 'POST', path: `/exec/${enc(execId)}/start`, body: { Detach: true, Tty: false } });
  }

  /** Attached start: the hijacked stream of the exec's stdio. */
  execStartAttached(execId: string, tty: boolean, consoleSize?: [number, number]): Promise<HijackedConnection> {
    return this.c.hijack({ method: 'POST', path: `/exec/${enc(execId)}/start`, body: { Detach: false, Tty: tty, ConsoleSize: consoleSize } });
  }

  execInspect(execId: string): Promise<ExecInspectResponse> {
    return this.c.json({ method: 'GET', path: `/exec/${enc(execId)}/json` });
  }

  async execResize(execId: string, height: number, width: number): Promise<void> {
    await this.c.call({ method: 'POST', path: `/exec/${enc(execId)}/resize`, query: { h: height, w: width } });
  }

  async resize(id: string, height: number, width: number): Promise<void> {
    await this.c.call({ method: 'POST', path: `/containers/${enc(id)}/resize`, query: { h: height, w: width } });
  }

  /** The stats body: one JSON record per line (one record when stream is false). */
  stats(id: string, o: { stream: boolean; oneShot?: boolean; signal?: AbortSignal }): Promise<IncomingMessage> {
    return this.c.request({
      path: `/containers/${enc(id)}/stats`, query: { stream: o.stream, 'one-shot': o.oneShot || undefined }, signal: o.signal,
    });
  }

  top(id: string, psArgs?: string): Promise<TopResponse> {
    return this.c.json({ path: `/containers/${enc(id)}/top`, query: { ps_args: psArgs || undefined } });
  }

  update(id: string, body: UpdateBody): Promise<{ Warnings: string[] | null }> {
    return this.c.json({ method: 'POST', path: `/containers/${enc(id)}/update`, body });
  }

  prune(filters?: Filters): Promise<ContainerPruneReport> {
    return this.c.json({ method: 'POST', path: '/containers/prune', query: { filters: encodeFilters(filters) } });
  }
}
