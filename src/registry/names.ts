// Syntax of repository names, tags and digests (OCI Distribution Spec, "Pulling manifests";
// OCI Image Spec, "Digests"). Names map to directories, so this is also the path-safety check.
import { regError } from './errors';

const COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const NAME_RE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Hex lengths of the algorithms this registry can verify. */
export const DIGEST_ALGORITHMS: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };

/** Longest name accepted: clients cap "host:port/name" at 255 characters. */
export const MAX_NAME_LENGTH = 255;

export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME_RE.test(name);
}

export function checkName(name: string): string {
  if (!isValidName(name)) throw regError('NAME_INVALID', { name }, `invalid repository name: ${JSON.stringify(name.slice(0, 300))}`);
  return name;
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

export interface Digest {
  algorithm: string;
  hex: string;
  /** "algorithm:hex" */
  text: string;
}

/** A digest with a supported algorithm and a well-formed lowercase hex value, else undefined. */
export function parseDigest(text: string): Digest | undefined {
  if (!DIGEST_RE.test(text)) return undefined;
  const colon = text.indexOf(':');
  const algorithm = text.slice(0, colon);
  const hex = text.slice(colon + 1);
  const length = DIGEST_ALGORITHMS[algorithm];
  if (length === undefined || hex.length !== length || !/^[a-f0-9]+$/.test(hex)) return undefined;
  return { algorithm, hex, text };
}

/** parseDigest, or DIGEST_INVALID (400). */
export function checkDigest(text: string | null | undefined): Digest {
  const d = text ? parseDigest(text) : undefined;
  if (!d) throw regError('DIGEST_INVALID', { digest: text ?? '' }, text ? 'invalid digest or unsupported algorithm' : 'digest missing');
  return d;
}

/** "tag" or digest: digests contain a colon, which tags cannot. */
export function isDigestReference(reference: string): boolean {
  return reference.includes(':');
}
