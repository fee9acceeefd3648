// Settings of `berth registry serve` / `berth-registry serve`.
export type AuthMode = 'none' | 'htpasswd' | 'token';

export interface RegistryOptions {
  /** host:port to listen on; port 0 picks a free port. */
  addr: string;
  root: string;
  auth: AuthMode;
  htpasswd?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** Token endpoint URL announced in challenges (default: this server's /token, from the Host header). */
  tokenRealm?: string;
  tokenIssuer: string;
  tokenService: string;
  /** PEM private key (EC P-256 or RSA) signing tokens; generated at start-up when absent. */
  tokenKey?: string;
  readOnly: boolean;
  /** Requests served at once; more get 429 TOOMANYREQUESTS. */
  maxRequests: number;
  /** Log every request (structured, one line each, on stderr). */
  logRequests: boolean;
}

export const DEFAULT_ADDR = '127.0.0.1:5000';
export const TOKEN_PATH = '/token';

export function defaultOptions(root: string): RegistryOptions {
  return {
    addr: DEFAULT_ADDR, root, auth: 'none', tokenIssuer: 'berth-registry', tokenService: 'berth-registry',
    readOnly: false, maxRequests: 1024, logRequests: true,
  };
}

/** "host:port" / ":port" / "[v6]:port" → listen arguments. */
export function parseAddr(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(addr);
  if (!m || Number(m[3]) > 65535) throw new Error(`invalid --addr ${JSON.stringify(addr)}: want host:port`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port: Number(m[3]) };
}
