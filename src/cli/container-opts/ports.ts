// -p/--publish and --expose specs → ExposedPorts and PortBindings.

export interface PortConfig {
  exposed: Record<string, Record<string, never>>;
  bindings: Record<string, Array<{ HostIp: string; HostPort: string }>>;
}

function range(text: string, what: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new Error(`invalid ${what}: ${text}`);
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a < 1 && what !== 'hostPort' || a > 65535 || b > 65535 || b < a) throw new Error(`invalid ${what}: ${text}`);
  return [a, b];
}

function splitProto(spec: string): [string, string] {
  const slash = spec.lastIndexOf('/');
  if (slash < 0) return [spec, 'tcp'];
  const proto = spec.slice(slash + 1).toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new Error(`invalid proto: ${proto}`);
  return [spec.slice(0, slash), proto];
}

export function addExpose(cfg: PortConfig, spec: string): void {
  const [ports, proto] = splitProto(spec);
  const [a, b] = range(ports, 'range format for --expose');
  for (let p = a; p <= b; p++) cfg.exposed[`${p}/${proto}`] = {};
}

/** "[ip:][hostPort:]containerPort[/proto]", ports may be ranges; IPv6 ips in brackets. */
export function addPublish(cfg: PortConfig, spec: string): void {
  const [body, proto] = splitProto(spec);
  let ip = '';
  let rest = body;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(body);
  if (v6) {
    ip = v6[1];
    rest = v6[2];
  }
  const parts = rest.split(':');
  let hostPart = '';
  let containerPart: string;
  if (parts.length === 1) containerPart = parts[0];
  else if (parts.length === 2) [hostPart, containerPart] = parts;
  else if (parts.length === 3 && !v6) [ip, hostPart, containerPart] = parts;
  else throw new Error(`invalid publish spec: ${spec}`);
  if (containerPart === '') throw new Error(`no port specified: ${spec}<empty>`);
  const [ca, cb] = range(containerPart, 'containerPort');
  let hostRange: [number, number] | undefined;
  if (hostPart !== '') {
    hostRange = range(hostPart, 'hostPort');
    const hostLen = hostRange[1] - hostRange[0];
    if (cb - ca !== hostLen && hostLen !== 0 && cb !== ca) {
      throw new Error(`invalid ranges specified for container and host Ports: ${containerPart} and ${hostPart}`);
    }
  }
  for (let p = ca; p <= cb; p++) {
    const key = `${p}/${proto}`;
    cfg.exposed[key] = {};
    let hostPort = '';
    if (hostRange) {
      const single = hostRange[0] === hostRange[1];
      hostPort = cb === ca && !single ? `${hostRange[0]}-${hostRange[1]}` : String(single ? hostRange[0] : hostRange[0] + (p - ca));
    }
    (cfg.bindings[key] ??= []).push({ HostIp: ip, HostPort: hostPort });
  }
}
