// Runtime: OCI spec generation and the conmon + runc driver.
import { ConmonRuntime, type RuntimeOptions } from './conmon-runtime';
import type { ContainerRuntime } from './types';

export type { ContainerRuntime, ExecSession, ProbeOptions, ProbeResult, RuntimeCreateOptions, RuntimeExecOptions, RuntimeExit, RuntimeStatus } from './types';
export { connectAttach, decodeAttachPacket, reopenLog, resizeTerminal, type AttachChunk, type AttachSocket } from './attach';
export { ExecFailedError } from './conmon-exec';
export type { RuntimeOptions } from './conmon-runtime';
export { StartError, isStartError, translateCreateError } from './start-errors';
export { nowRfc3339Nano, nanoTimeToRfc3339, rfc3339ToSeconds, ZERO_TIME } from './time';
export * from './spec';

export function createRuntime(options: RuntimeOptions): ContainerRuntime {
  return new ConmonRuntime(options);
}
