// Range (blob GET, RFC 9110 §14) and Content-Range (chunked uploads: "<start>-<end>",
// inclusive, as the Distribution Spec writes it) parsing.
import { rangeError } from '../errors';
import type { ChunkRange } from '../storage/uploads';

export type ByteRange = { start: number; end: number };

/**
 * The single range requested of a `size`-byte blob: undefined = send everything (no header,
 * another unit, or several ranges, which a server may answer in full); 'unsatisfiable' = 416.
 */
export function parseRangeHeader(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header.trim());
  if (!m) return undefined;
  const [, first, last] = m;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return 'unsatisfiable';
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** Content-Range of an upload chunk; 416 when malformed. Undefined when absent. */
export function parseContentRange(header: string | undefined): ChunkRange | undefined {
  if (header === undefined) return undefined;
  // Some clients send the HTTP form "bytes 0-99/*"; accept it alongside the spec's "0-99".
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!m) throw rangeError({ contentRange: header, reason: 'malformed Content-Range' });
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) throw rangeError({ contentRange: header, reason: 'range end before start' });
  return { start, end };
}
