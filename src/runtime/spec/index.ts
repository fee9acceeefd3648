// OCI runtime-spec generation (Docker's default profile).
import { RLIM_INFINITY } from './rlimits';
import type { OciSpec } from './types';

export { buildSpec, type SpecInput, type BuiltSpec } from './build';
export { secureJoin, mkdirAllInRoot } from './secure-join';
export { resolveUser, type ExecUser } from './user';
export { DEFAULT_CAPABILITIES, DEFAULT_PATH_ENV, DEFAULT_SHM_SIZE, READONLY_PATHS, maskedPaths } from './defaults';
export { replaceOrAppendEnv, buildCapabilities, checkOomScoreAdj } from './process';
export { lookupInitBinary, IN_CONTAINER_INIT_PATH } from './init';
export { hostHardLimits, checkUlimits, canRaiseHardLimits } from './rlimits';
export { swapLimitSupported } from './resources';
export { containerCgroupsPath } from './cgroups-path';
export type * from './types';

/** config.json text; unlimited rlimits become RLIM_INFINITY's exact digits. */
export function serializeSpec(spec: OciSpec): string {
  return JSON.stringify(spec).replace(new RegExp(`"(hard|soft)":${RLIM_INFINITY}\\b`, 'g'), '"$1":18446744073709551615');
}
