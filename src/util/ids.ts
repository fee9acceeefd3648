import { randomBytes, createHash } from 'node:crypto';

/** A new 64-hex-character ID, like Docker's container and exec IDs. */
export function newId(): string {
  return randomBytes(32).toString('hex');
}

export function shortId(id: string): string {
  return stripDigestAlgo(id).slice(0, 12);
}

export function stripDigestAlgo(id: string): string {
  return id.startsWith('sha256:') ? id.slice(7) : id;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256Digest(data: string | Buffer): string {
  return 'sha256:' + sha256Hex(data);
}

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
export function isDigest(value: string): boolean {
  return DIGEST_RE.test(value);
}
