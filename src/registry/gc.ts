// `berth registry gc`: mark-and-sweep of blobs no manifest references. Safe while the server
// runs: only blobs older than the grace period are candidates (uploads and manifest pushes
// touch the blobs they use), a candidate is moved aside and re-checked before it is deleted,
// and upload sessions are left alone until idle for longer than the upload expiry.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseManifest } from './manifest-format';
import { parseDigest, type Digest } from './names';
import { listRepositories } from './storage/catalog';
import { isNotFound, listDir, removeIfPresent } from './storage/fsutil';
import { openStorage } from './storage/open';
import type { Storage } from './http/exchange';

export interface GcOptions {
  root: string;
  gracePeriodMs: number;
  uploadExpiryMs: number;
  deleteUntagged: boolean;
  dryRun: boolean;
  report?: (line: string) => void;
}

export interface GcResult {
  manifestsDeleted: number;
  blobsDeleted: number;
  bytesFreed: number;
  blobsKeptYoung: number;
  blobsMarked: number;
  uploadsRemoved: number;
}

interface ManifestRefs { children: Digest[]; blobs: Digest[]; subject?: Digest }

async function readRefs(s: Storage, d: Digest): Promise<ManifestRefs | undefined> {
  try {
    const m = parseManifest(await fsp.readFile(s.layout.blob(d)), undefined);
    return { children: m.manifests.map((c) => c.digest), blobs: m.blobs.map((b) => b.digest), subject: m.subject };
  } catch {
    return undefined; // missing or unreadable: nothing to follow
  }
}

async function ageMs(file: string): Promise<number | undefined> {
  try {
    return Date.now() - (await fsp.stat(file)).mtimeMs;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Manifests of `repo` reachable from its tags (through index children and referrers). */
async function reachable(s: Storage, repo: string, refs: Map<string, ManifestRefs | undefined>): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const t of await listDir(s.layout.tagsDir(repo))) {
    const text = (await fsp.readFile(s.layout.tag(repo, t), 'utf8').catch(() => '')).trim();
    if (text) queue.push(text);
  }
  let progress = true;
  while (progress) {
    progress = false;
    while (queue.length) {
      const d = queue.pop() as string;
      if (seen.has(d)) continue;
      seen.add(d);
      progress = true;
      for (const c of refs.get(d)?.children ?? []) queue.push(c.text);
    }
    // A referrer (signature, SBOM) lives as long as its subject does.
    for (const [d, r] of refs) if (!seen.has(d) && r?.subject && seen.has(r.subject.text)) queue.push(d);
  }
  return seen;
}

export async function collectGarbage(o: GcOptions): Promise<GcResult> {
  const s = await openStorage(o.root);
  const say = o.report ?? (() => undefined);
  const result: GcResult = { manifestsDeleted: 0, blobsDeleted: 0, bytesFreed: 0, blobsKeptYoung: 0, blobsMarked: 0, uploadsRemoved: 0 };
  const marked = new Set<string>();

  // Mark: every manifest revision of every repository, and what it references.
  for (const repo of await listRepositories(s.layout)) {
    const revisions = await s.manifests.revisions(repo);
    const refs = new Map<string, ManifestRefs | undefined>();
    for (const d of revisions) refs.set(d.text, await readRefs(s, d));
    const keep = o.deleteUntagged ? await reachable(s, repo, refs) : undefined;
    for (const d of revisions) {
      if (keep && !keep.has(d.text) && ((await ageMs(s.layout.revision(repo, d))) ?? 0) >= o.gracePeriodMs) {
        say(`${o.dryRun ? 'would delete' : 'deleting'} manifest ${repo}@${d.text}`);
        if (!o.dryRun) await s.manifests.delete(repo, d.text).catch(() => undefined);
        result.manifestsDeleted++;
        continue;
      }
      marked.add(d.text);
      const r = refs.get(d.text);
      for (const x of [...(r?.blobs ?? []), ...(r?.children ?? [])]) marked.add(x.text);
    }
  }
  result.blobsMarked = marked.size;

  // Sweep: unmarked blobs past the grace period.
  const swept: Digest[] = [];
  for (const algorithm of await listDir(s.layout.blobsDir)) {
    for (const prefix of await listDir(path.join(s.layout.blobsDir, algorithm))) {
      for (const hex of await listDir(path.join(s.layout.blobsDir, algorithm, prefix))) {
        const d = parseDigest(`${algorithm}:${hex}`);
        if (!d || marked.has(d.text)) continue;
        const file = s.layout.blob(d);
        const age = await ageMs(file);
        if (age === undefined) continue;
        if (age < o.gracePeriodMs) {
          result.blobsKeptYoung++;
          continue;
        }
        const size = (await fsp.stat(file).catch(() => undefined))?.size ?? 0;
        say(`${o.dryRun ? 'would delete' : 'deleting'} blob ${d.text} (${size} bytes)`);
        if (!o.dryRun && !(await sweepBlob(s, d, o.gracePeriodMs))) continue;
        result.blobsDeleted++;
        result.bytesFreed += size;
        swept.push(d);
      }
    }
  }

  if (!o.dryRun) await dropDanglingLinks(s, swept);
  result.uploadsRemoved = await expireUploads(s, o);
  return result;
}

/**
 * Move the blob aside, then look again: a push that touched it in the meantime (its mtime is
 * fresh again) gets it back. Only then is it deleted. False when it was kept.
 */
async function sweepBlob(s: Storage, d: Digest, graceMs: number): Promise<boolean> {
  await fsp.mkdir(s.layout.trashDir, { recursive: true });
  const file = s.layout.blob(d);
  const aside = path.join(s.layout.trashDir, `${d.algorithm}-${d.hex}-${randomBytes(4).toString('hex')}`);
  try {
    await fsp.rename(file, aside);
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
  const age = await ageMs(aside);
  if (age !== undefined && age < graceMs) {
    // Touched while we looked: put it back unless a fresh copy was committed meanwhile.
    try {
      await fsp.link(aside, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    await fsp.unlink(aside);
    return false;
  }
  await fsp.unlink(aside);
  return true;
}

/** Links to blobs that were just swept (and are still gone), in every repository. */
async function dropDanglingLinks(s: Storage, swept: Digest[]): Promise<void> {
  if (!swept.length) return;
  for (const repo of await listRepositories(s.layout)) {
    for (const d of swept) {
      if (await s.blobs.stat(d)) continue;
      await removeIfPresent(s.layout.layerLink(repo, d));
    }
  }
}

async function expireUploads(s: Storage, o: GcOptions): Promise<number> {
  let removed = 0;
  for (const uuid of await listDir(s.layout.uploadsDir)) {
    const dir = s.layout.upload(uuid);
    const age = Math.min((await ageMs(path.join(dir, 'data'))) ?? Infinity, (await ageMs(dir)) ?? Infinity);
    if (age === Infinity || age < o.uploadExpiryMs) continue;
    (o.report ?? (() => undefined))(`${o.dryRun ? 'would remove' : 'removing'} upload ${uuid}`);
    if (!o.dryRun) await fsp.rm(dir, { recursive: true, force: true });
    removed++;
  }
  return removed;
}
