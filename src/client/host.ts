// Daemon address selection and parsing: -H/--host, then BERTH_HOST, then Berth's
// own socket (DOCKER_HOST is deliberately ignored so `berth` never talks to dockerd).

export const DEFAULT_HOST = 'unix:///run/berth/berth.sock';

export type DaemonAddress =
  | { kind: 'unix'; url: string; socketPath: string }
  | { kind: 'tcp'; url: string; hostname: string; port: number };

export function resolveHost(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env.BERTH_HOST) return env.BERTH_HOST;
  return DEFAULT_HOST;
}

/** Parse "unix:///path", "tcp://host:port" (or a bare absolute socket path). */
export function parseHost(spec: string): DaemonAddress {
  const value = spec.trim();
  if (value.startsWith('/')) return { kind: 'unix', url: `unix://${value}`, socketPath: value };
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    if (!socketPath) throw new Error(`invalid host: unix socket path is empty in "${spec}"`);
    return { kind: 'unix', url: value, socketPath };
  }
  if (value.startsWith('tcp://') || value.startsWith('http://')) {
    const rest = value.slice(value.indexOf('://') + 3).replace(/\/+$/, '');
    const m = /^(\[[^\]]+\]|[^:/]*)(?::(\d+))?$/.exec(rest);
    if (!m) throw new Error(`invalid host: "${spec}"`);
    const hostname = (m[1] || '127.0.0.1').replace(/^\[|\]$/g, '');
    const port = m[2] ? Number(m[2]) : 2375;
    if (port < 1 || port > 65535) throw new Error(`invalid host: bad port in "${spec}"`);
    return { kind: 'tcp', url: `tcp://${m[1] || '127.0.0.1'}:${port}`, hostname, port };
  }
  throw new Error(`invalid host: unsupported protocol in "${spec}"`);
}
