// The registry client: pull, push, login check and distribution inspect against
// OCI Distribution registries (Docker Hub, the reference registry, Berth's own).
import { inspectDistribution } from './inspect';
import { login } from './login';
import { pull, type DistributionDeps } from './pull';
import { push } from './push';
import type { DistributionService } from './types';
import { LayerWorkerPool } from './layer-worker/pool';

export function createDistributionService(deps: DistributionDeps): DistributionService {
  deps = { ...deps, layerWorkers: deps.layerWorkers ?? new LayerWorkerPool() };
  return {
    pull: (ref, options, progress) => pull(deps, ref, options, progress),
    push: (ref, options, progress) => push(deps, ref, options, progress),
    login: (auth) => login(deps.options, auth),
    inspect: (ref, auth) => inspectDistribution(deps, ref, auth),
  };
}

export { decodeRegistryAuth, decodeRegistryConfig, normalizeAuth } from './auth-header';
export { checkInsecureRegistry, normalizeMirror, DOCKER_HUB_AUTH_KEY } from './endpoints';
export { parsePlatformString } from './manifest';
export type * from './types';
export type { DistributionDeps } from './pull';
export { authForDomain, pullByName } from './pull-by-name';
