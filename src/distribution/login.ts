// POST /auth: checks credentials against a registry's /v2/ (through its token
// server when it uses bearer auth), as dockerd's loginV2 does.
import { UnauthorizedError } from '../errors';
import { DEFAULT_DOMAIN } from '../image/reference';
import { loginDomain, pushEndpoint } from './endpoints';
import { RegistrySession } from './session';
import type { AuthConfig, RegistryOptions } from './types';

export async function login(options: RegistryOptions, auth: AuthConfig): Promise<{ Status: string; IdentityToken?: string }> {
  const domain = loginDomain(auth.serveraddress);
  if (!auth.identitytoken && !auth.registrytoken && (!auth.username || !auth.password)) {
    throw new UnauthorizedError(domain === DEFAULT_DOMAIN ? 'Get "https://registry-1.docker.io/v2/": unauthorized: incorrect username or password' : 'username and password are required');
  }
  const session = new RegistrySession(pushEndpoint(domain, options), auth, new Set());
  await session.checkLogin();
  return session.refreshToken ? { Status: 'Login Succeeded', IdentityToken: session.refreshToken } : { Status: 'Login Succeeded' };
}
