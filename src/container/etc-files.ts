// /etc/hostname, /etc/hosts and /etc/resolv.conf for a container, kept in its
// directory and bind-mounted by the runtime (as Docker does).
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as net from 'node:net';
import type { ContainerConfig, HostConfig } from './types';

const HOSTS_HEADER = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

const DEFAULT_DNS = ['8.8.8.8', '8.8.4.4'];

export interface EtcPaths { hostname: string; hosts: string; resolvConf: string }

function readHost(file: string): string {
  try { return readFileSync(file, 'utf8'); } catch { return ''; }
}

function isLocalhost(addr: string): boolean {
  const ip = addr.split('%')[0];
  if (net.isIPv4(ip)) return ip.startsWith('127.');
  return ip === '::1';
}

/** The host's resolver config, with systemd-resolved's stub replaced by its upstream list. */
function hostResolvConf(): string {
  const main = readHost('/etc/resolv.conf');
  if (/^\s*nameserver\s+127\.0\.0\.53\s*$/m.test(main) && existsSync('/run/systemd/resolve/resolv.conf')) {
    return readHost('/run/systemd/resolve/resolv.conf');
  }
  return main;
}

/** Docker's container resolv.conf: host's without localhost servers, with Dns/DnsSearch/DnsOptions overrides. */
export function buildResolvConf(hc: Pick<HostConfig, 'NetworkMode' | 'Dns' | 'DnsSearch' | 'DnsOptions'>): string {
  const host = hostResolvConf();
  if (hc.NetworkMode === 'host' && !hc.Dns?.length && !hc.DnsSearch?.length && !hc.DnsOptions?.length) return host;
  const lines = host.split('\n');
  let servers = lines.map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1]).filter((s): s is string => !!s);
  let search = lines.map((l) => /^\s*(?:search|domain)\s+(.*)$/.exec(l)?.[1]).filter((s): s is string => !!s).slice(-1)[0]?.trim().split(/\s+/) ?? [];
  let options = lines.flatMap((l) => /^\s*options\s+(.*)$/.exec(l)?.[1]?.trim().split(/\s+/) ?? []);
  if (hc.Dns?.length) servers = hc.Dns;
  else if (hc.NetworkMode !== 'host') servers = servers.filter((s) => !isLocalhost(s));
  if (servers.length === 0) servers = DEFAULT_DNS;
  if (hc.DnsSearch?.length) search = hc.DnsSearch.filter((s) => s !== '.');
  if (hc.DnsOptions?.length) options = hc.DnsOptions;
  const out: string[] = [];
  if (search.length) out.push(`search ${search.join(' ')}`);
  for (const s of servers) out.push(`nameserver ${s}`);
  if (options.length) out.push(`options ${options.join(' ')}`);
  return out.join('\n') + '\n';
}

export function buildHosts(config: Pick<ContainerConfig, 'Hostname' | 'Domainname'>, hc: Pick<HostConfig, 'NetworkMode' | 'ExtraHosts'>, ip?: string): string {
  const lines = hc.NetworkMode === 'host' ? readHost('/etc/hosts').replace(/\n+$/, '').split('\n') : HOSTS_HEADER.slice();
  for (const entry of hc.ExtraHosts ?? []) {
    const i = entry.indexOf(':');
    if (i > 0) lines.push(`${entry.slice(i + 1)}\t${entry.slice(0, i)}`);
  }
  // Until the container has a network address, its own name resolves to loopback
  // (Docker maps it to the bridge IP; with --network none it adds nothing).
  if (!ip && hc.NetworkMode !== 'none' && hc.NetworkMode !== 'host') ip = '127.0.0.1';
  if (ip) {
    const names = config.Domainname ? `${config.Hostname}.${config.Domainname} ${config.Hostname}` : config.Hostname;
    lines.push(`${ip}\t${names}`);
  }
  return lines.join('\n') + '\n';
}

export function writeEtcFiles(paths: EtcPaths, config: ContainerConfig, hc: HostConfig): void {
  writeFileSync(paths.hostname, config.Hostname + '\n', { mode: 0o644 });
  writeFileSync(paths.hosts, buildHosts(config, hc), { mode: 0o644 });
  writeFileSync(paths.resolvConf, buildResolvConf(hc), { mode: 0o644 });
}

/** ExtraHosts entries must be "host:ip" (Docker's validation). */
export function validateExtraHosts(entries: string[] | null | undefined): string | undefined {
  for (const e of entries ?? []) {
    const i = e.indexOf(':');
    const ip = e.slice(i + 1).replace(/^\[|\]$/g, '');
    if (i <= 0 || (!net.isIP(ip) && ip !== 'host-gateway')) return `invalid IP address in add-host: "${e.slice(i + 1)}"`;
  }
  return undefined;
}
