// COPY and ADD: sources from the context, another stage, an image, a heredoc or
// (ADD) a URL; checksums of what is read go into the cache key, so touching a
// file changes nothing and editing one invalidates only this step and later ones.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractLayer } from '../../archive';
import { InvalidArgumentError } from '../../errors';
import { resolveUser } from '../../runtime/spec/user';
import { resolveSources, type Source } from '../context/sources';
import { copyDirContents, copyEntry, mkdirAll, writeFileEntry, type CopyOwner } from '../fs/copy-tree';
import { scopedPath } from '../fs/scoped-path';
import { expandHeredoc, expandWord, type CopyCommand } from '../parser';
import { stageIndexOf } from '../plan';
import { nopCmd } from '../history';
import { runStep } from './commit-step';
import { newId, removeScratch, type RunContext } from './run-context';
import { resolveImage } from './resolve-image';
import { shellOf, stageLookup, type StageState } from './state';
import { fetchUrl, type Downloaded } from './add-url';

interface Item {
  kind: 'path' | 'heredoc' | 'url';
  name: string; // base name used when the destination is a directory
  source?: Source;
  content?: Buffer;
  download?: Downloaded;
  sum: string;
}

export async function copyInstruction(rc: RunContext, state: StageState, cmd: CopyCommand): Promise<void> {
  const lookup = stageLookup(state);
  const ex = (w: string) => expandWord(w, lookup, { escape: rc.escape });
  const dest = ex(cmd.dest);
  const patterns = cmd.sources.map((s) => (s.startsWith('<<') ? s : ex(s)));
  const chown = cmd.chown !== undefined ? ex(cmd.chown) : undefined;
  const chmod = cmd.chmod !== undefined ? parseChmod(ex(cmd.chmod)) : undefined;
  if (patterns.length > 1 && !dest.endsWith('/')) {
    throw new InvalidArgumentError(`When using ${cmd.kind} with more than one source file, the destination must be a directory and end with a /`);
  }
  const from = cmd.from !== undefined ? ex(cmd.from) : undefined;
  // --from: the other stage's (or image's) filesystem, mounted for this step only.
  let fromImage: { imageId: string; chainId: string | null } | undefined;
  if (from !== undefined) {
    const stage = stageIndexOf(rc.plan, from, state.stage);
    if (stage !== undefined) fromImage = await rc.stageOutput(stage);
    else {
      const img = await resolveImage(rc, from);
      fromImage = { imageId: img.id, chainId: img.chainId };
    }
  }
  const mountId = fromImage ? newId() : undefined;
  let items: Item[] = [];
  try {
    let sourceRoot = rc.context.dir;
    if (mountId) {
      rc.live.rootfs.add(mountId);
      await rc.deps.rootfs.create(mountId, fromImage!.chainId);
      sourceRoot = await rc.deps.rootfs.acquire(mountId);
    }
    items = await collect(rc, cmd, patterns, sourceRoot, from === undefined, lookup);
    const sum = createHash('sha256').update(items.map((i) => `${i.name}:${i.sum}`).join('\n')).digest('hex');
    const label = items.length === 1 ? (items[0].source?.stat.isDirectory() ? 'dir' : 'file') : 'multi';
    const text = `${cmd.kind} ${label}:${sum} in ${dest} `;
    const workdir = state.config.WorkingDir || '/';
    const destPath = dest.startsWith('/') ? dest : path.posix.join(workdir, dest) + (dest.endsWith('/') ? '/' : '');
    await runStep(rc, state, {
      cmd: nopCmd(shellOf(state), text),
      config: state.config,
      inputs: [`chown=${chown ?? ''}`, `chmod=${chmod ?? ''}`, `from=${fromImage?.imageId ?? ''}`],
      mutate: async (root) => {
        const owner = ownerFor(root, chown, chmod, from === undefined);
        for (const item of items) await place(root, destPath, item, owner, cmd.kind === 'ADD', items.length > 1 || dest.endsWith('/'));
      },
    });
  } finally {
    for (const i of items) if (i.download) fs.rmSync(path.dirname(i.download.file), { recursive: true, force: true });
    if (mountId) {
      await removeScratch(rc.deps, mountId).catch(() => undefined);
      rc.live.rootfs.delete(mountId);
    }
  }
}

async function collect(rc: RunContext, cmd: CopyCommand, patterns: string[], root: string, inContext: boolean, lookup: (n: string) => string | undefined): Promise<Item[]> {
  const items: Item[] = [];
  for (const p of patterns) {
    if (p.startsWith('<<')) {
      const doc = cmd.heredocs.find((h) => h.name === p.slice(2))!;
      const content = Buffer.from(doc.expand ? expandHeredoc(doc.content, lookup, { escape: rc.escape }) : doc.content);
      items.push({ kind: 'heredoc', name: doc.name, content, sum: createHash('sha256').update(content).digest('hex') });
    } else if (cmd.kind === 'ADD' && /^https?:\/\//i.test(p)) {
      const download = await fetchUrl(p, path.join(rc.deps.root, 'downloads', newId()), cmd.checksum);
      items.push({ kind: 'url', name: download.name, download, sum: download.sha256 });
    } else {
      for (const s of resolveSources(root, [p], inContext)) {
        items.push({ kind: 'path', name: path.posix.basename(s.inner) || '.', source: s, sum: await rc.checksums.of(s.host) });
      }
    }
  }
  return items;
}

function parseChmod(text: string): number {
  if (!/^[0-7]{3,4}$/.test(text)) throw new InvalidArgumentError(`invalid chmod parameter: ${text}`);
  return parseInt(text, 8);
}

function ownerFor(root: string, chown: string | undefined, mode: number | undefined, fromContext: boolean): CopyOwner {
  if (chown === undefined || chown === '') return fromContext ? { uid: 0, gid: 0, mode } : { mode };
  const [user, group] = chown.split(':');
  try {
    const resolved = resolveUser(root, user + (group ? `:${group}` : ''));
    // A user without a group keeps its own number as the group (Docker's rule).
    return { uid: resolved.uid, gid: group ? resolved.gid : (/^\d+$/.test(user) ? resolved.uid : resolved.gid), mode };
  } catch (err) {
    throw new InvalidArgumentError(`unable to convert uid/gid chown string to host mapping: ${(err as Error).message}`);
  }
}

async function place(root: string, destPath: string, item: Item, owner: CopyOwner, isAdd: boolean, destIsDirHint: boolean): Promise<void> {
  const target = scopedPath(root, destPath);
  const existing = fs.statSync(target.host, { throwIfNoEntry: false });
  const destIsDir = destIsDirHint || destPath.endsWith('/') || existing?.isDirectory() === true;
  const intoDir = (name: string) => {
    mkdirAll(target.host);
    return path.join(target.host, name);
  };
  if (item.kind === 'heredoc') {
    const file = destIsDir ? intoDir(item.name) : (mkdirAll(path.dirname(target.host)), target.host);
    writeFileEntry(file, item.content!, owner);
    return;
  }
  if (item.kind === 'url') {
    const file = destIsDir ? intoDir(item.name) : (mkdirAll(path.dirname(target.host)), target.host);
    copyEntry(item.download!.file, file, { uid: owner.uid ?? 0, gid: owner.gid ?? 0, mode: owner.mode ?? 0o600 });
    if (item.download!.mtime) fs.utimesSync(file, item.download!.mtime, item.download!.mtime);
    return;
  }
  const src = item.source!;
  if (src.stat.isDirectory()) {
    mkdirAll(target.host);
    copyDirContents(src.host, target.host, owner);
    return;
  }
  if (isAdd && await isArchive(src.host)) {
    mkdirAll(target.host);
    await extractLayer(fs.createReadStream(src.host), target.host, {
      whiteouts: 'keep', ...(owner.uid !== undefined && owner.gid !== undefined && owner.uid + owner.gid > 0 ? { chown: { uid: owner.uid, gid: owner.gid } } : {}),
    });
    return;
  }
  const file = destIsDir ? intoDir(item.name) : (mkdirAll(path.dirname(target.host)), target.host);
  copyEntry(src.host, file, owner);
}

/** ADD unpacks local archives: tar, possibly gzip-compressed. */
async function isArchive(file: string): Promise<boolean> {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(512);
    const n = fs.readSync(fd, head, 0, 512, 0);
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return true;
    return n >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    fs.closeSync(fd);
  }
}
