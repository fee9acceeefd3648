// Docker's translation of a failed task creation (moby daemon/errors.go
// setExitCodeFromError): invalid commands are the user's fault (400) and set the
// container's exit code to 126/127; anything else is a 500 with exit code 128.
import { BerthError } from '../errors';

export class StartError extends BerthError {
  constructor(kind: 'invalid-argument' | 'internal', message: string, readonly exitCode: number) {
    super(kind, message);
  }
}

export function translateCreateError(runcMessage: string): StartError {
  const desc = `failed to create task for container: failed to create shim task: OCI runtime create failed: ${runcMessage}: unknown`;
  const lower = desc.toLowerCase();
  if (lower.includes('permission denied')) return new StartError('invalid-argument', desc, 126);
  if (lower.includes('is a directory')) return new StartError('invalid-argument', `${desc}: permission denied`, 126);
  if (lower.includes('not a directory')) {
    return new StartError('invalid-argument', `${desc}: Are you trying to mount a directory onto a file (or vice-versa)? Check if the specified host path exists and is the expected type`, 127);
  }
  if (['executable file not found', 'no such file or directory', 'system cannot find the file specified'].some((m) => lower.includes(m))) {
    return new StartError('invalid-argument', desc, 127);
  }
  return new StartError('internal', desc, 128);
}

export function isStartError(err: unknown): err is StartError {
  return err instanceof StartError;
}
