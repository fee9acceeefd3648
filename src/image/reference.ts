// Docker image references (distribution/reference rules): `busybox` is
// docker.io/library/busybox:latest; the familiar form drops docker.io/ and library/.
// Parsing follows ParseNormalizedNamed: the domain split, the lowercase check and
// the grammar are applied in Docker's order so the error texts match.
import { InvalidArgumentError } from '../errors';

export const DEFAULT_DOMAIN = 'docker.io';
export const DEFAULT_TAG = 'latest';
const LEGACY_DOMAIN = 'index.docker.io';
const NAME_MAX = 255;

export interface ImageReference {
  domain: string;
  path: string; // repository path without the domain, e.g. "library/busybox"
  tag?: string;
  digest?: string;
}

// The grammar of distribution/reference (regexp.go).
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN_AND_PORT = `${HOST}(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN_AND_PORT}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const HEX64 = /^[a-f0-9]{64}$/;

const invalidFormat = () => new InvalidArgumentError('invalid reference format');

/** Docker's splitDockerDomain: a first component is a domain if it has '.', ':' or uppercase, or is localhost. */
function splitDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  let domain = DEFAULT_DOMAIN;
  let remainder = name;
  if (slash >= 0) {
    const first = name.slice(0, slash);
    if (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first) {
      domain = first;
      remainder = name.slice(slash + 1);
    }
  }
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = `library/${remainder}`;
  return { domain, remainder };
}

/** Validates a digest like go-digest's Parse (sha256 must be 64 lowercase hex). */
function checkDigest(digest: string): void {
  const [algorithm, hex] = digest.split(':');
  const lengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
  const want = lengths[algorithm];
  if (want === undefined) throw new InvalidArgumentError('unsupported digest algorithm');
  if (hex.length !== want) throw new InvalidArgumentError('invalid checksum digest length');
  if (!/^[a-f0-9]+$/.test(hex)) throw new InvalidArgumentError('invalid checksum digest format');
}

/** Parses a reference like `docker pull` does. Throws InvalidArgumentError with Docker's texts. */
export function parseReference(input: string): ImageReference {
  if (HEX64.test(input)) {
    throw new InvalidArgumentError(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
  }
  const { domain, remainder } = splitDomain(input);
  const colon = remainder.indexOf(':');
  const remoteName = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remoteName.toLowerCase() !== remoteName) {
    throw new InvalidArgumentError(`invalid reference format: repository name (${remoteName}) must be lowercase`);
  }
  const full = `${domain}/${remainder}`;
  const m = REFERENCE.exec(full);
  if (!m) {
    if (REFERENCE.test(full.toLowerCase())) throw new InvalidArgumentError('repository name must be lowercase');
    throw invalidFormat();
  }
  const [, name, tag, digest] = m;
  if (name.length > NAME_MAX) throw new InvalidArgumentError(`repository name must not be more than ${NAME_MAX} characters`);
  if (digest !== undefined) checkDigest(digest);
  const path = name.slice(domain.length + 1);
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
