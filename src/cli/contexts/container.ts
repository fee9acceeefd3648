// The row context of `ps` (Docker's ContainerContext): field getters and headers.
import type { ContainerSummary, PortSummary } from '../../client/types';
import { makeStruct } from '../format/formatter';
import { ellipsis, goQuote, humanSizeWithPrecision, timeAgo, truncateId } from '../format/units';
import { goTimeString } from '../format/time';
import type { StructObject } from '../template';

export const DEFAULT_PS_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

export const CONTAINER_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID', Names: 'NAMES', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED', Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE', Labels: 'LABELS',
  Mounts: 'MOUNTS', LocalVolumes: 'LOCAL VOLUMES', Networks: 'NETWORKS', Platform: 'PLATFORM',
};

/** Docker's familiar form of an image reference: drop a digest and the docker.io/library/ prefix. */
export function familiarImage(image: string): string {
  let ref = image.replace(/@sha256:[a-f0-9]{64}$/, '');
  ref = ref.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  return ref;
}

/** "0.0.0.0:8080->80/tcp, 443/tcp": Docker's DisplayablePorts (ranges grouped). */
export function displayPorts(ports: PortSummary[] | null | undefined): string {
  if (!ports || ports.length === 0) return '';
  const sorted = [...ports].sort((a, b) => a.PrivatePort - b.PrivatePort || (a.IP ?? '').localeCompare(b.IP ?? '')
    || (a.PublicPort ?? 0) - (b.PublicPort ?? 0) || a.Type.localeCompare(b.Type));
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const mappings: string[] = [];
  const hostPort = (ip: string, port: string) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
  const form = (key: string, g: { first: number; last: number }) => {
    const [a, b] = key.split('/');
    const ip = b === undefined ? '' : a;
    const proto = b === undefined ? a : b;
    const range = g.first === g.last ? String(g.first) : `${g.first}-${g.last}`;
    return `${ip ? `${hostPort(ip, range)}->${range}` : range}/${proto}`;
  };
  for (const p of sorted) {
    let key = p.Type;
    if (p.IP) {
      if (p.PublicPort !== p.PrivatePort) {
        mappings.push(`${hostPort(p.IP, String(p.PublicPort))}->${p.PrivatePort}/${p.Type}`);
        continue;
      }
      key = `${p.IP}/${p.Type}`;
    }
    const g = groups.get(key);
    if (!g) groups.set(key, { first: p.PrivatePort, last: p.PrivatePort });
    else if (p.PrivatePort === g.last + 1) g.last = p.PrivatePort;
    else {
      result.push(form(key, g));
      groups.set(key, { first: p.PrivatePort, last: p.PrivatePort });
    }
  }
  for (const [key, g] of groups) result.push(form(key, g));
  return [...result, ...mappings].join(', ');
}

function sortedLabels(labels: Record<string, string> | null | undefined): string {
  if (!labels) return '';
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).sort().join(',');
}

export function containerContext(c: ContainerSummary, trunc: boolean): StructObject {
  return makeStruct('*formatter.ContainerContext', {
    ID: () => (trunc ? truncateId(c.Id) : c.Id),
    Names: () => {
      const names = (c.Names ?? []).map((n) => n.replace(/^\//, ''));
      if (trunc) return names.find((n) => !n.includes('/')) ?? '';
      return names.join(',');
    },
    Image: () => {
      if (!c.Image) return '<no image>';
      if (!trunc) return c.Image;
      if (c.ImageID && truncateId(c.ImageID) === truncateId(c.Image)) return truncateId(c.Image);
      return familiarImage(c.Image);
    },
    Command: () => goQuote(trunc ? ellipsis(c.Command ?? '', 20) : c.Command ?? ''),
    CreatedAt: () => goTimeString(new Date(c.Created * 1000)),
    RunningFor: () => timeAgo(c.Created),
    Ports: () => displayPorts(c.Ports),
    State: () => c.State,
    Status: () => c.Status,
    Size: () => {
      const srw = humanSizeWithPrecision(c.SizeRw ?? 0, 3);
      return c.SizeRootFs && c.SizeRootFs > 0 ? `${srw} (virtual ${humanSizeWithPrecision(c.SizeRootFs, 3)})` : srw;
    },
    Labels: () => sortedLabels(c.Labels),
    Label: (name: string) => c.Labels?.[name] ?? '',
    Mounts: () => (c.Mounts ?? []).map((m) => {
      const name = m.Name || m.Source || '';
      return trunc ? ellipsis(name, 15) : name;
    }).join(','),
    LocalVolumes: () => String((c.Mounts ?? []).filter((m) => m.Driver === 'local').length),
    Networks: () => Object.keys(c.NetworkSettings?.Networks ?? {}).join(','),
    Platform: () => null,
  });
}
