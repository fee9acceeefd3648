// Helpers for archive and snapshot tests: tars crafted with tar-stream (an
// implementation independent of ours), tree snapshots for comparisons, and a
// sentinel directory outside the extraction root.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import * as native from '../src/native';

export type Entry = Partial<tar.Header> & { name: string; body?: string | Buffer; pax?: Record<string, string> };

export const MTIME = new Date(1_600_000_000_000);

export async function tarBuffer(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c) => { chunks.push(c as Buffer); });
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const { body, ...header } of entries) pack.entry({ mode: 0o644, mtime: MTIME, ...header }, body ?? '');
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function tarStream(entries: Entry[]): Promise<Readable> {
  return Readable.from([await tarBuffer(entries)]);
}

export function sha256(data: Buffer): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface NodeInfo {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  size?: number;
  digest?: string;
  link?: string;
  rdev?: number;
  ino?: number;
  xattrs: Record<string, string>; // hex values
}

/** Every node under `root` (root itself as ''), with metadata that extraction must keep. */
export function snapshotTree(root: string, opts: { times?: boolean } = {}): Map<string, NodeInfo> {
  const out = new Map<string, NodeInfo>();
  const visit = (rel: string): void => {
    const abs = rel === '' ? root : path.join(root, rel);
    const st = fs.lstatSync(abs);
    const xattrs: Record<string, string> = {};
    for (const name of native.llistxattr(abs).sort()) xattrs[name] = native.lgetxattr(abs, name)?.toString('hex') ?? '';
    const info: NodeInfo = {
      type: st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : st.isCharacterDevice() ? 'char'
        : st.isBlockDevice() ? 'block' : st.isFIFO() ? 'fifo' : 'other',
      mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: opts.times === false || st.isSymbolicLink() ? 0 : Math.floor(st.mtimeMs / 1000), xattrs,
    };
    if (info.type === 'file') { info.size = st.size; info.digest = sha256(fs.readFileSync(abs)); info.ino = st.nlink > 1 ? st.ino : undefined; }
    if (info.type === 'symlink') { info.link = fs.readlinkSync(abs); info.mode = 0; }
    if (info.type === 'char' || info.type === 'block') info.rdev = st.rdev;
    out.set(rel, info);
    if (info.type === 'dir') for (const name of fs.readdirSync(abs).sort()) visit(rel === '' ? name : `${rel}/${name}`);
  };
  visit('');
  return out;
}

/** Groups hardlinked paths (same inode) so two trees can be compared without inode numbers. */
export function linkGroups(tree: Map<string, NodeInfo>): string[][] {
  const byIno = new Map<number, string[]>();
  for (const [p, info] of tree) if (info.ino !== undefined) byIno.set(info.ino, [...(byIno.get(info.ino) ?? []), p]);
  return [...byIno.values()].map((g) => g.sort()).sort();
}

export function withoutInodes(tree: Map<string, NodeInfo>): Map<string, NodeInfo> {
  return new Map([...tree].map(([p, i]) => [p, { ...i, ino: undefined }]));
}

/** Unmounts whatever is still mounted below `dir` (test cleanup). */
export function unmountBelow(dir: string): void {
  const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m && m.startsWith(dir));
  for (const m of mounts.sort((a, b) => b.length - a.length)) {
    try { native.umount2(m, native.MNT_DETACH); } catch { /* already gone */ }
  }
}
