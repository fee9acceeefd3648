// Tar header blocks (POSIX ustar, GNU and PAX extensions), parsed and encoded
// here rather than through tar-stream because PAX values must stay raw bytes:
// SCHILY.xattr.security.capability is binary and a UTF-8 decode corrupts it.
import { InvalidArgumentError } from '../errors';

export const BLOCK = 512;

export type TarEntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export interface TarEntry {
  name: string;
  linkname: string;
  type: TarEntryType;
  mode: number; // permission bits incl. setuid/setgid/sticky
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  size: number;
  mtime: number; // seconds since the epoch (fractional with PAX)
  atime?: number;
  devmajor: number;
  devminor: number;
  xattrs: Map<string, Buffer>; // from SCHILY.xattr.*
}

/** A header block as stored, before long-name / PAX records are applied. */
export interface RawHeader {
  typeflag: string;
  name: string;
  linkname: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
}

export class TarFormatError extends InvalidArgumentError {
  constructor(message: string) { super(`invalid tar archive: ${message}`); }
}

function cstring(buf: Buffer, start: number, len: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString('utf8', start, end === -1 || end > start + len ? start + len : end);
}

/** Octal ASCII (space/NUL padded) or GNU base-256 for values that do not fit. */
export function parseNumeric(buf: Buffer, start: number, len: number): number {
  if (buf[start] & 0x80) {
    // base-256: big-endian two's complement, first byte's top bit is the marker
    let value = buf[start] & 0x3f;
    const negative = (buf[start] & 0x40) !== 0;
    for (let i = start + 1; i < start + len; i++) value = value * 256 + buf[i];
    if (negative) throw new TarFormatError('negative numeric field');
    if (!Number.isSafeInteger(value)) throw new TarFormatError('numeric field out of range');
    return value;
  }
  const text = buf.toString('latin1', start, start + len).replace(/[\0 ]+$/, '').replace(/^[\0 ]+/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`bad numeric field ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = parseNumeric(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

export function decodeHeader(block: Buffer, offset: number): RawHeader {
  if (!checksumOk(block)) throw new TarFormatError(`bad header checksum at offset ${offset}`);
  const magic = block.toString('latin1', 257, 263);
  const ustar = magic === 'ustar\0'; // POSIX; GNU ("ustar  ") keeps other fields in the prefix area
  let name = cstring(block, 0, 100);
  if (ustar) {
    const prefix = cstring(block, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  const typeflag = block[156] === 0 ? '0' : String.fromCharCode(block[156]);
  return {
    typeflag,
    name,
    linkname: cstring(block, 157, 100),
    mode: parseNumeric(block, 100, 8),
    uid: parseNumeric(block, 108, 8),
    gid: parseNumeric(block, 116, 8),
    size: parseNumeric(block, 124, 12),
    mtime: parseNumeric(block, 136, 12),
    uname: cstring(block, 265, 32),
    gname: cstring(block, 297, 32),
    devmajor: magic.startsWith('ustar') ? parseNumeric(block, 329, 8) : 0,
    devminor: magic.startsWith('ustar') ? parseNumeric(block, 337, 8) : 0,
  };
}

/** PAX extended header records ("<len> <key>=<value>\n"), values kept as bytes. */
export function decodePax(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break; // NUL padding after the last record
    const space = data.indexOf(0x20, pos);
    if (space === -1) throw new TarFormatError('malformed PAX record');
    const len = Number(data.toString('latin1', pos, space));
    if (!Number.isInteger(len) || len <= space - pos + 1 || pos + len > data.length || data[pos + len - 1] !== 0x0a) {
      throw new TarFormatError('malformed PAX record');
    }
    const record = data.subarray(space + 1, pos + len - 1);
    const eq = record.indexOf(0x3d);
    if (eq <= 0) throw new TarFormatError('malformed PAX record');
    out.set(record.toString('utf8', 0, eq), Buffer.from(record.subarray(eq + 1)));
    pos += len;
  }
  return out;
}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file', '7': 'file', '1': 'link', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo',
};

/** Folds GNU long names and PAX records into an entry; null for types with nothing to extract. */
export function toEntry(raw: RawHeader, pax: Map<string, Buffer>, longName?: string, longLink?: string): TarEntry | null {
  let type: TarEntryType | undefined = TYPES[raw.typeflag];
  if (type === undefined) {
    if (raw.typeflag === 'S' || [...pax.keys()].some((k) => k.startsWith('GNU.sparse.'))) {
      throw new TarFormatError(`sparse files are not supported (${JSON.stringify(raw.name)})`);
    }
    return null; // volume labels, vendor extensions: skipped like Docker does
  }
  const text = (key: string): string | undefined => pax.get(key)?.toString('utf8');
  const num = (key: string, fallback: number): number => {
    const v = text(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new TarFormatError(`bad PAX ${key} ${JSON.stringify(v)}`);
    return n;
  };
  const name = text('path') ?? longName ?? raw.name;
  if (type === 'file' && name.endsWith('/')) type = 'dir'; // pre-POSIX directories
  const xattrs = new Map<string, Buffer>();
  for (const [key, value] of pax) if (key.startsWith('SCHILY.xattr.')) xattrs.set(key.slice(13), value);
  const atime = text('atime');
  return {
    name,
    linkname: text('linkpath') ?? longLink ?? raw.linkname,
    type,
    mode: raw.mode & 0o7777,
    uid: num('uid', raw.uid),
    gid: num('gid', raw.gid),
    uname: text('uname') ?? raw.uname,
    gname: text('gname') ?? raw.gname,
    size: type === 'file' ? num('size', raw.size) : 0,
    mtime: num('mtime', raw.mtime),
    atime: atime === undefined ? undefined : num('atime', 0),
    devmajor: raw.devmajor,
    devminor: raw.devminor,
    xattrs,
  };
}
