// Docker image references (distribution/reference rules): `busybox` is
// docker.io/library/busybox:latest; the familiar form drops docker.io/ and library/.
import { InvalidArgumentError } from '../errors';

export const DEFAULT_DOMAIN = 'docker.io';
export const DEFAULT_TAG = 'latest';

export interface ImageReference {
  domain: string;
  path: string; // repository path without the domain, e.g. "library/busybox"
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const HEX64 = /^[a-f0-9]{64}$/;

function invalid(detail?: string): InvalidArgumentError {
  return new InvalidArgumentError(detail ? `invalid reference format: ${detail}` : 'invalid reference format');
}

function isDomain(part: string): boolean {
  if (part === 'localhost') return true;
  if (!part.includes('.') && !part.includes(':')) return part !== part.toLowerCase();
  return true;
}

function validDomain(domain: string): boolean {
  const [host, port, ...rest] = domain.split(':');
  if (rest.length > 0) return false;
  if (port !== undefined && !/^[0-9]+$/.test(port)) return false;
  if (host.startsWith('[')) return /^\[[0-9a-fA-F:.]+\]$/.test(host);
  return host.split('.').every((c) => DOMAIN_COMPONENT.test(c));
}

/** Parses a reference like `docker pull` does. Throws InvalidArgumentError with Docker's texts. */
export function parseReference(input: string): ImageReference {
  if (input === '' ) throw invalid();
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid();
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid();
  }
  if (rest === '') throw invalid();
  const parts = rest.split('/');
  let domain = DEFAULT_DOMAIN;
  if (parts.length > 1 && isDomain(parts[0])) {
    domain = parts.shift() as string;
    if (!validDomain(domain)) throw invalid();
  }
  let path = parts.join('/');
  if (path.length > 255) throw invalid('repository name must not be more than 255 characters');
  if (path !== path.toLowerCase() && parts.every((p) => COMPONENT.test(p.toLowerCase()))) {
    const shown = domain === DEFAULT_DOMAIN && parts.length === 1 ? `library/${path}` : path;
    throw invalid(`repository name (${shown}) must be lowercase`);
  }
  if (!parts.every((p) => COMPONENT.test(p))) throw invalid();
  if (domain === DEFAULT_DOMAIN && parts.length === 1) path = `library/${path}`;
  if (HEX64.test(parts[parts.length - 1]) && domain === DEFAULT_DOMAIN && parts.length === 1 && !tag && !digest) {
    throw new InvalidArgumentError(`invalid repository name (${parts[0]}), cannot specify 64-byte hexadecimal strings`);
  }
  return { domain, path, tag, digest };
}

/** With `latest` added when neither tag nor digest is given. */
export function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag || ref.digest ? ref : { ...ref, tag: DEFAULT_TAG };
}

/** Full repository name: docker.io/library/busybox. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** Familiar repository name: busybox, 127.0.0.1:5000/x/y. */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return `${ref.domain}/${ref.path}`;
  return ref.path.startsWith('library/') && ref.path.split('/').length === 2 ? ref.path.slice('library/'.length) : ref.path;
}

export function fullString(ref: ImageReference): string {
  return repositoryName(ref) + (ref.tag ? `:${ref.tag}` : '') + (ref.digest ? `@${ref.digest}` : '');
}

export function familiarString(ref: ImageReference): string {
  return familiarName(ref) + (ref.tag ? `:${ref.tag}` : '') + (ref.digest ? `@${ref.digest}` : '');
}

/** Parses and returns the familiar string with `latest` added (e.g. for error texts). */
export function normalizeReference(input: string): string {
  return familiarString(withDefaultTag(parseReference(input)));
}
