// Docker's registry rules: which URL serves a reference's domain, and over what.
// docker.io goes to its mirrors first, then registry-1.docker.io; localhost and
// 127.0.0.0/8 (Docker's default insecure CIDR) and --insecure-registry entries
// (host[:port] or CIDR) may use plain HTTP; every other registry is HTTPS only.
import * as net from 'node:net';
import { InvalidArgumentError } from '../errors';
import { DEFAULT_DOMAIN } from '../image/reference';
import type { RegistryOptions } from './types';

export const DOCKER_HUB_API = 'registry-1.docker.io';
/** The key Docker uses for Docker Hub credentials (config.json, serveraddress). */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

export interface Endpoint {
  /** Where requests go, e.g. "https://registry-1.docker.io" or "http://127.0.0.1:5000". */
  base: string;
  /** TLS without certificate checks, with a plain-HTTP retry when TLS fails (insecure registries). */
  insecure: boolean;
  mirror: boolean;
}

function hostOf(domain: string): string {
  if (domain.startsWith('[')) return domain.slice(1, domain.indexOf(']'));
  const colon = domain.lastIndexOf(':');
  return colon > 0 && !domain.slice(0, colon).includes(':') ? domain.slice(0, colon) : domain;
}

function inCidr(ip: string, cidr: string): boolean {
  const [range, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!net.isIPv4(ip) || !net.isIPv4(range) || !(bits >= 0 && bits <= 32)) return false;
  const toInt = (a: string) => a.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(ip) & mask) === (toInt(range) & mask);
}

/** Validates --insecure-registry values like dockerd (no scheme, no path). */
export function checkInsecureRegistry(value: string): void {
  if (value.includes('://')) throw new InvalidArgumentError(`insecure registry ${value} should not contain '://'`);
  if (value.includes('/') && !/^[0-9.]+\/\d+$/.test(value)) throw new InvalidArgumentError(`insecure registry ${value} is not valid`);
}

/** Validates --registry-mirror values: http(s) URLs without a path. */
export function normalizeMirror(value: string): string {
  let url: URL;
  try { url = new URL(value); } catch { throw new InvalidArgumentError(`invalid mirror: "${value}" is not a valid URI`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`invalid mirror: unsupported scheme "${url.protocol.slice(0, -1)}" in "${value}"`);
  if (url.pathname !== '/' && url.pathname !== '') throw new InvalidArgumentError(`invalid mirror: path, query, or fragment at end of the URI "${value}"`);
  return `${url.protocol}//${url.host}`;
}

export function isInsecure(domain: string, options: Pick<RegistryOptions, 'insecureRegistries'>): boolean {
  const host = hostOf(domain);
  if (host === 'localhost' || host === '::1') return true;
  if (net.isIPv4(host) && inCidr(host, '127.0.0.0/8')) return true;
  for (const entry of options.insecureRegistries) {
    if (entry === domain || entry === host) return true;
    if (entry.includes('/') && inCidr(host, entry)) return true;
  }
  return false;
}

/** Endpoints to try in order for a pull (mirrors apply to docker.io pulls only). */
export function pullEndpoints(domain: string, options: RegistryOptions): Endpoint[] {
  if (domain === DEFAULT_DOMAIN) {
    const mirrors = options.mirrors.map((m) => ({ base: m, insecure: isInsecure(new URL(m).host, options), mirror: true }));
    return [...mirrors, { base: `https://${DOCKER_HUB_API}`, insecure: false, mirror: false }];
  }
  return [pushEndpoint(domain, options)];
}

export function pushEndpoint(domain: string, options: RegistryOptions): Endpoint {
  if (domain === DEFAULT_DOMAIN) return { base: `https://${DOCKER_HUB_API}`, insecure: false, mirror: false };
  return { base: `https://${domain}`, insecure: isInsecure(domain, options), mirror: false };
}

/** The domain of a login's server address (Docker Hub for "", "docker.io" and its v1 URL). */
export function loginDomain(serverAddress: string | undefined): string {
  const raw = (serverAddress ?? '').trim();
  if (raw === '' || raw === DOCKER_HUB_AUTH_KEY) return DEFAULT_DOMAIN;
  const stripped = raw.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (stripped === 'docker.io' || stripped === 'index.docker.io' || stripped === DOCKER_HUB_API) return DEFAULT_DOMAIN;
  return stripped;
}
