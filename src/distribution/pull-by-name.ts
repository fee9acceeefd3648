// Pull by a reference string with credentials picked per registry, as the
// builder needs for base images (X-Registry-Config carries a map of logins).
import { parseReference, withDefaultTag } from '../image/reference';
import { normalizeAuth } from './auth-header';
import { loginDomain } from './endpoints';
import type { AuthConfig, DistributionService, Platform, ProgressSink } from './types';

/** The login whose server address names `domain` (docker.io matches its v1 URL too). */
export function authForDomain(auths: Record<string, AuthConfig> | undefined, domain: string): AuthConfig | undefined {
  for (const [server, auth] of Object.entries(auths ?? {})) {
    if (auth && loginDomain(server) === domain) return normalizeAuth(auth);
  }
  return undefined;
}

export async function pullByName(
  service: DistributionService,
  name: string,
  options: { platform?: Platform; auths?: Record<string, AuthConfig>; signal?: AbortSignal },
  progress: ProgressSink,
): Promise<void> {
  const ref = withDefaultTag(parseReference(name));
  await service.pull(ref, { auth: authForDomain(options.auths, ref.domain), platform: options.platform, signal: options.signal }, progress);
}
