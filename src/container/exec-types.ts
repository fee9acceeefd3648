// Exec instances (`docker exec`): Docker's ExecConfig in, ExecInspect out.
import type { Readable, Writable } from 'node:stream';

export interface ExecCreateRequest {
  Cmd?: string[] | null;
  User?: string;
  Privileged?: boolean;
  Tty?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Env?: string[] | null;
  WorkingDir?: string;
  DetachKeys?: string;
  ConsoleSize?: [number, number] | null;
}

export interface ExecInspect {
  CanRemove: boolean;
  ContainerID: string;
  DetachKeys: string;
  ExitCode: number | null;
  ID: string;
  OpenStderr: boolean;
  OpenStdin: boolean;
  OpenStdout: boolean;
  ProcessConfig: { arguments: string[]; entrypoint: string; privileged: boolean; tty: boolean; user: string };
  Running: boolean;
  Pid: number;
}

/** An attached exec: its stdio, and the exit code once it ended. */
export interface ExecAttachment {
  readonly tty: boolean;
  readonly output: Readable; // object mode LogRecords
  readonly stdin: Writable | undefined;
  /** Resolves with the exit code; rejects with the start error (exit code 126 recorded). */
  readonly done: Promise<number>;
  close(): void;
}

export interface ExecService {
  create(containerIdOrName: string, request: ExecCreateRequest): string;
  inspect(execId: string): ExecInspect;
  /** Detached: resolves once the process runs. */
  startDetached(execId: string): Promise<void>;
  /** Attached: the process starts once the returned attachment is connected. */
  startAttached(execId: string, consoleSize?: [number, number]): Promise<ExecAttachment>;
  resize(execId: string, height: number, width: number): void;
  /** Exec IDs of a container (inspect's ExecIDs). */
  idsOf(containerId: string): string[];
}
