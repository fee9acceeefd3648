// X-Registry-Auth: base64url (or standard base64) of a JSON AuthConfig. Docker
// treats an undecodable header as no credentials rather than failing the request.
import type { AuthConfig } from './types';

export function decodeRegistryAuth(header: string | undefined): AuthConfig | undefined {
  const value = decodeJsonHeader(header);
  return value ? normalizeAuth(value as AuthConfig) : undefined;
}

/** X-Registry-Config (POST /build): logins by server address, same encoding and leniency. */
export function decodeRegistryConfig(header: string | undefined): Record<string, AuthConfig> | undefined {
  const value = decodeJsonHeader(header);
  return value && !Array.isArray(value) ? value as Record<string, AuthConfig> : undefined;
}

function decodeJsonHeader(header: string | undefined): object | undefined {
  if (!header) return undefined;
  const text = Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Fills username/password from the combined `auth` field when only that is given. */
export function normalizeAuth(auth: AuthConfig): AuthConfig {
  if (auth.auth && !auth.username && !auth.password) {
    const plain = Buffer.from(auth.auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) return { ...auth, username: plain.slice(0, colon), password: plain.slice(colon + 1) };
  }
  return auth;
}

export function hasCredentials(auth: AuthConfig | undefined): boolean {
  return !!auth && (!!auth.identitytoken || !!auth.registrytoken || (!!auth.username && auth.password !== undefined && auth.password !== ''));
}
