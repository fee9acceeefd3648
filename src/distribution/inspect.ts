// GET /distribution/{name}/json: the descriptor a reference resolves to on its
// registry, and the platforms it offers (from the index, or from the image config).
import { InvalidArgumentError } from '../errors';
import { withDefaultTag, familiarString, type ImageReference } from '../image/reference';
import { pullEndpoints } from './endpoints';
import { parseManifest } from './manifest';
import type { DistributionDeps } from './pull';
import { RepositoryClient } from './repository-client';
import { RegistrySession } from './session';
import type { AuthConfig, DistributionInspect } from './types';

export async function inspectDistribution(deps: DistributionDeps, input: ImageReference, auth?: AuthConfig): Promise<DistributionInspect> {
  const ref = withDefaultTag(input);
  const endpoint = pullEndpoints(ref.domain, deps.options).at(-1)!;
  const client = new RepositoryClient(new RegistrySession(endpoint, auth, new Set([`repository:${ref.path}:pull`])), ref.path);
  const fetched = await client.getManifest(ref.digest ?? ref.tag ?? 'latest', familiarString(ref));
  const parsed = parseManifest(fetched.bytes, fetched.mediaType);
  const Descriptor = { mediaType: parsed.mediaType, digest: fetched.digest, size: fetched.bytes.length };
  if (parsed.kind === 'index') {
    const Platforms = parsed.manifests.filter((m) => m.platform && m.platform.os !== 'unknown').map((m) => ({ ...m.platform! }));
    return { Descriptor, Platforms };
  }
  const config = JSON.parse((await client.readBlob(parsed.config.digest, 8 << 20)).toString('utf8')) as { os?: string; architecture?: string; variant?: string };
  if (!config.os || !config.architecture) throw new InvalidArgumentError('invalid image config: no platform');
  return { Descriptor, Platforms: [{ architecture: config.architecture, os: config.os, ...(config.variant ? { variant: config.variant } : {}) }] };
}
