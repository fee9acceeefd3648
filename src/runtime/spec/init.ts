// --init: an init process (tini) as PID 1 that forwards signals and reaps zombies, bind-
// mounted read-only at Docker's path. It must work in any image, so a static build is
// preferred (Debian's tini-static); `docker-init` and a dynamic `tini` are fallbacks.
import { InvalidArgumentError } from '../../errors';
import { which } from '../which';
import type { OciSpec } from './types';

export const IN_CONTAINER_INIT_PATH = '/sbin/docker-init';
const CANDIDATES = ['tini-static', 'docker-init', 'tini'];

/** Host path of the init binary: --init-path (absolute as is, else looked up) or the first candidate found. */
export function lookupInitBinary(configured?: string): string {
  if (configured) {
    try { return which(configured); } catch { throw new InvalidArgumentError(`exec: "${configured}": executable file not found in $PATH`); }
  }
  for (const name of CANDIDATES) {
    try { return which(name); } catch { /* next */ }
  }
  throw new InvalidArgumentError('exec: "docker-init": executable file not found in $PATH');
}

/** Docker runs the init only in a private PID namespace (not --pid host / container:<id>). */
export function initApplies(pidMode: string | undefined): boolean {
  return !pidMode || pidMode === 'private' || (pidMode !== 'host' && !pidMode.startsWith('container:'));
}

export function applyInit(spec: OciSpec, hostBinary: string): void {
  spec.process.args = [IN_CONTAINER_INIT_PATH, '--', ...spec.process.args];
  spec.mounts.push({ destination: IN_CONTAINER_INIT_PATH, type: 'bind', source: hostBinary, options: ['bind', 'ro'] });
}
