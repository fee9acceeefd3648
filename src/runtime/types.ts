import type { OciResources } from './spec/types';

// Low-level runtime contract: one conmon per container driving runc. The daemon never
// holds a container's stdio; conmon keeps it (k8s-file log, attach socket, exit file).

export interface RuntimeCreateOptions {
  id: string;
  bundleDir: string; // holds config.json (written by the caller), attach socket, ctl fifo
  logPath: string; // k8s-file log written by conmon
  tty: boolean;
  openStdin: boolean;
  logSizeMax?: number;
}

export interface RuntimeExit {
  exitCode: number;
  finishedAt: string; // RFC 3339 nano (mtime of the exit file)
  oomKilled: boolean;
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
  close(): void;
}
