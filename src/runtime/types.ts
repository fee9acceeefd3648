import type { OciResources } from './spec/types';

// Low-level runtime contract: one conmon per container driving runc. The daemon never
// holds a container's stdio; conmon keeps it (k8s-file log, attach socket, exit file).
import type { OciProcess } from './spec';

export interface RuntimeCreateOptions {
  id: string;
  bundleDir: string; // holds config.json (written by the caller), attach socket, ctl fifo
  logPath: string; // k8s-file log written by conmon
  tty: boolean;
  openStdin: boolean;
  /** Keep the process's stdin open when an attached client goes away (TTY, or not StdinOnce). */
  leaveStdinOpen: boolean;
  logSizeMax?: number;
  /** No log file at all (log driver "none"); output still reaches attach clients. */
  noLog?: boolean;
  /** Runs after `runc create`, before `runc start`: attach clients connect here so no output is missed. */
  beforeStart?: () => Promise<void>;
}

export interface RuntimeExecOptions {
  containerId: string;
  execId: string;
  process: OciProcess;
  openStdin: boolean;
  /** Wait for an attach client (ExecSession.begin) before the process runs. */
  attach: boolean;
}

export interface ExecSession {
  /** The session dir: attach socket and ctl fifo for connectAttach / resizeTerminal. */
  readonly dir: string;
  readonly ready: Promise<void>;
  begin(): void;
  abort(): void;
  readonly pid: Promise<number>;
  readonly exit: Promise<number>;
}

export interface RuntimeExit {
  exitCode: number;
  finishedAt: string; // RFC 3339 nano (mtime of the exit file)
  oomKilled: boolean;
}

export interface ProbeOptions {
  /** Defaults: the container process's own env, user and cwd. */
  env?: string[];
  user?: { uid: number; gid: number; additionalGids?: number[] };
  cwd?: string;
  timeoutMs: number;
}

export interface ProbeResult {
  /** -1 when the probe timed out or could not start. */
  exitCode: number;
  /** stdout and stderr interleaved, at most 4096 bytes (then "..."); runc's error when it could not start. */
  output: string;
  timedOut: boolean;
  startFailed?: boolean;
}

export type RuntimeStatus = 'created' | 'running' | 'paused' | 'stopped';

export interface ContainerRuntime {
  /** conmon + runc create, then runc start. Resolves with the container's host PID once running. */
  start(options: RuntimeCreateOptions): Promise<{ pid: number; conmonPid: number }>;
  kill(id: string, signal: string | number): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Apply new cgroup limits to a running container (runc update). */
  update(id: string, resources: OciResources): Promise<void>;
  /** runc delete (force kills if still running). Idempotent. */
  delete(id: string, force?: boolean): Promise<void>;
  state(id: string): Promise<{ status: RuntimeStatus; pid: number } | undefined>;
  /** Exit recorded by conmon for `id`, if the container has exited. */
  readExit(id: string): RuntimeExit | undefined;
  /** Forget the exit file (before a restart). */
  clearExit(id: string): void;
  /** Called once per exit file conmon writes (watched through the exit dir). */
  onExit(listener: (id: string, exit: RuntimeExit) => void): void;
  isConmonAlive(conmonPid: number): boolean;
  /** Runs argv inside the running container (runc exec), killed with its process group after timeoutMs. */
  probe(id: string, argv: string[], options: ProbeOptions): Promise<ProbeResult>;
  /** Runs a process in the running container under its own conmon; the session dir is removed after the exit. */
  exec(options: RuntimeExecOptions): ExecSession;
  close(): void;
}
