// Tar header encoding (ustar, with a PAX extended header in front when a field
// does not fit or xattrs must be carried as raw bytes), in the shape Docker
// writes layers: whole-second mtimes, no atime/ctime, numeric owners.
import { BLOCK, type TarEntry } from './tar-header';

const TYPEFLAG: Record<TarEntry['type'], string> = {
  file: '0', link: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6',
};

/** Two zero blocks: the end-of-archive marker. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

export function padding(size: number): Buffer {
  const n = (BLOCK - (size % BLOCK)) % BLOCK;
  return n === 0 ? EMPTY : Buffer.alloc(n);
}
const EMPTY = Buffer.alloc(0);

function octal(value: number, width: number): string | null {
  const text = Math.floor(value).toString(8);
  return text.length < width ? text.padStart(width - 1, '0') : null;
}

function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x01-\x7f]*$/.test(s);
}

/** One PAX record; its length prefix counts itself. */
function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

/** Splits a long name into ustar prefix (≤155) and name (≤100), or null. */
function splitName(name: string): [string, string] | null {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '') return [prefix, rest];
  }
  return null;
}

function ustarBlock(e: TarEntry, name: string, prefix: string, linkname: string, typeflag: string, size: number): Buffer {
  const b = Buffer.alloc(BLOCK);
  const put = (text: string, off: number, len: number) => { b.write(text, off, len, 'utf8'); };
  put(name, 0, 100);
  put(octal(e.mode & 0o7777, 8) ?? '0000000', 100, 8);
  put(octal(e.uid, 8) ?? '0000000', 108, 8);
  put(octal(e.gid, 8) ?? '0000000', 116, 8);
  put(octal(size, 12) ?? '00000000000', 124, 12);
  put(octal(e.mtime, 12) ?? '00000000000', 136, 12);
  b.fill(0x20, 148, 156);
  put(typeflag, 156, 1);
  put(linkname, 157, 100);
  b.write('ustar\u000000', 257, 8, 'latin1');
  put(e.uname, 265, 32);
  put(e.gname, 297, 32);
  if (e.type === 'char' || e.type === 'block') {
    put(octal(e.devmajor, 8) ?? '0000000', 329, 8);
    put(octal(e.devminor, 8) ?? '0000000', 337, 8);
  }
  put(prefix, 345, 155);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i];
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return b;
}

/** Header block(s) for an entry; the caller writes `e.size` data bytes and padding after. */
export function encodeHeader(e: TarEntry): Buffer {
  const name = e.type === 'dir' && !e.name.endsWith('/') ? `${e.name}/` : e.name;
  const size = e.type === 'file' ? e.size : 0;
  const pax: Buffer[] = [];
  const split = isAscii(name) ? splitName(name) : null;
  if (!split) pax.push(paxRecord('path', Buffer.from(name)));
  const linkOk = isAscii(e.linkname) && Buffer.byteLength(e.linkname) <= 100;
  if (!linkOk) pax.push(paxRecord('linkpath', Buffer.from(e.linkname)));
  if (octal(e.uid, 8) === null) pax.push(paxRecord('uid', Buffer.from(String(e.uid))));
  if (octal(e.gid, 8) === null) pax.push(paxRecord('gid', Buffer.from(String(e.gid))));
  if (octal(size, 12) === null) pax.push(paxRecord('size', Buffer.from(String(size))));
  for (const [key, value] of [...e.xattrs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) pax.push(paxRecord(`SCHILY.xattr.${key}`, value));
  const [prefix, short] = split ?? ['', truncateUtf8(name, 100)];
  const header = ustarBlock(e, short, prefix, linkOk ? e.linkname : truncateUtf8(e.linkname, 100), TYPEFLAG[e.type], size);
  if (pax.length === 0) return header;
  const data = Buffer.concat(pax);
  const paxEntry: TarEntry = { ...e, type: 'file', size: data.length, xattrs: new Map() };
  const paxHeader = ustarBlock(paxEntry, truncateUtf8(`PaxHeaders.0/${short}`, 100), '', '', 'x', data.length);
  return Buffer.concat([paxHeader, data, padding(data.length), header]);
}

function truncateUtf8(s: string, max: number): string {
  const b = Buffer.from(s);
  return b.length <= max ? s : b.subarray(0, max).toString('utf8').replace(/\uFFFD+$/, '');
}
