// Flags of `berth registry serve` and `berth registry gc` (shared by bin/berth-registry).
import type { FlagDef, FlagValues } from '../cli/flags';
import { DEFAULT_ADDR, defaultOptions, type AuthMode, type RegistryOptions } from './options';

export const DEFAULT_ROOT = '/var/lib/berth-registry';

const ROOT: FlagDef = { name: 'root', kind: 'string', usage: 'Directory holding the registry\'s data', default: DEFAULT_ROOT };

export const SERVE_FLAGS: FlagDef[] = [
  { name: 'addr', kind: 'string', usage: 'Address to listen on (host:port; port 0 picks a free port)', default: DEFAULT_ADDR },
  ROOT,
  { name: 'auth', kind: 'string', usage: 'Authentication: "none", "htpasswd" or "token" (default: from --htpasswd / --token-* flags)' },
  { name: 'htpasswd', kind: 'string', usage: 'htpasswd file with bcrypt entries (Basic auth, or the token endpoint\'s users)' },
  { name: 'tls-cert', kind: 'string', usage: 'TLS certificate file (PEM)' },
  { name: 'tls-key', kind: 'string', usage: 'TLS private key file (PEM)' },
  { name: 'token-realm', kind: 'string', usage: 'Token endpoint URL sent in challenges (default: this server\'s /token)' },
  { name: 'token-issuer', kind: 'string', usage: 'Issuer of the tokens', default: 'berth-registry' },
  { name: 'token-service', kind: 'string', usage: 'Service name the tokens are for', default: 'berth-registry' },
  { name: 'token-key', kind: 'string', usage: 'PEM private key (EC P-256 or RSA) signing tokens (default: generated at start)' },
  { name: 'read-only', kind: 'bool', usage: 'Refuse every write (pushes and deletes)' },
  { name: 'max-requests', kind: 'int', usage: 'Requests served at once; more are answered 429', default: 1024 },
  { name: 'log-level', kind: 'string', usage: 'Set the logging level ("debug"|"info"|"warn"|"error"|"fatal")', default: 'info' },
];

export const GC_FLAGS: FlagDef[] = [
  ROOT,
  { name: 'grace-period', kind: 'string', usage: 'Keep unreferenced blobs younger than this (Go duration: 30m, 1h)', default: '1h' },
  { name: 'upload-expiry', kind: 'string', usage: 'Remove upload sessions idle for longer than this', default: '24h' },
  { name: 'delete-untagged', short: 'm', kind: 'bool', usage: 'Also delete manifests no tag reaches' },
  { name: 'dry-run', short: 'd', kind: 'bool', usage: 'Only report what would be deleted' },
];

export function serveOptions(flags: FlagValues): RegistryOptions {
  const o = defaultOptions(flags.string('root'));
  o.addr = flags.string('addr');
  o.htpasswd = flags.optionalString('htpasswd') || undefined;
  o.tlsCert = flags.optionalString('tls-cert') || undefined;
  o.tlsKey = flags.optionalString('tls-key') || undefined;
  o.tokenRealm = flags.optionalString('token-realm') || undefined;
  o.tokenIssuer = flags.string('token-issuer');
  o.tokenService = flags.string('token-service');
  o.tokenKey = flags.optionalString('token-key') || undefined;
  o.readOnly = flags.bool('read-only');
  o.maxRequests = flags.int('max-requests');
  const tokenFlags = ['token-realm', 'token-issuer', 'token-service', 'token-key'].some((f) => flags.changed(f));
  const auth = flags.optionalString('auth') ?? (tokenFlags ? 'token' : o.htpasswd ? 'htpasswd' : 'none');
  if (!['none', 'htpasswd', 'token'].includes(auth)) throw new Error(`invalid --auth ${JSON.stringify(auth)}: want none, htpasswd or token`);
  o.auth = auth as AuthMode;
  if (o.maxRequests < 1) throw new Error('--max-requests must be at least 1');
  return o;
}

/** Go-style durations as the CNCF registry's config takes them: "90s", "30m", "1h30m". */
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * units[m[2]];
    consumed += m[0].length;
  }
  if (text === '0') return 0;
  if (!text || consumed !== text.length) throw new Error(`invalid duration ${JSON.stringify(text)}`);
  return total;
}
