// Manifests, tags and the referrers index of each repository. Manifest bytes are stored as
// blobs (exactly as pushed); a revision link makes one part of a repository and records its
// media type and subject, a tag file names one revision.
import { createHash } from 'node:crypto';

import * as path from 'node:path';
import { regError, RegistryError } from '../errors';
import { parseManifest, type Descriptor, type ParsedManifest } from '../manifest-format';
import { checkDigest, isDigestReference, isValidTag, parseDigest, type Digest } from '../names';
import type { BlobStore } from './blobs';
import type { Layout } from './layout';
import { exists, listDir, readTextOrUndefined, removeIfPresent, writeAtomic } from './fsutil';

interface RevisionLink { mediaType: string; subject?: string }

export interface StoredManifest { digest: Digest; mediaType: string; file: string; size: number }

export interface PutResult { digest: Digest; subject?: Digest; tags: string[] }

export class ManifestStore {
  constructor(private readonly layout: Layout, private readonly blobs: BlobStore) {}

  async repoExists(repo: string): Promise<boolean> {
    return exists(this.layout.repo(repo));
  }

  async put(repo: string, reference: string, body: Buffer, contentType: string | undefined, extraTags: string[] = []): Promise<PutResult> {
    const byDigest = isDigestReference(reference);
    const wanted = byDigest ? checkDigest(reference) : undefined;
    const tags = byDigest ? extraTags : [reference, ...extraTags];
    for (const t of tags) if (!isValidTag(t)) throw regError('MANIFEST_INVALID', { tag: t }, `invalid tag ${JSON.stringify(t)}`);
    const manifest = parseManifest(body, contentType);
    const algorithm = wanted?.algorithm ?? 'sha256';
    const hex = createHash(algorithm).update(body).digest('hex');
    if (wanted && wanted.hex !== hex) throw regError('DIGEST_INVALID', { digest: wanted.text, actual: `${algorithm}:${hex}` });
    const digest = parseDigest(`${algorithm}:${hex}`) as Digest;
    await this.checkReferences(repo, manifest);

    await this.blobs.putSmall(digest, body);
    const link: RevisionLink = { mediaType: manifest.mediaType, subject: manifest.subject?.text };
    await writeAtomic(this.layout.revision(repo, digest), JSON.stringify(link));
    if (manifest.subject) {
      await writeAtomic(this.layout.referrer(repo, manifest.subject, digest), JSON.stringify(referrerDescriptor(manifest, digest, body.length)));
    }
    for (const t of tags) await writeAtomic(this.layout.tag(repo, t), digest.text);
    return { digest, subject: manifest.subject, tags };
  }

  /** Resolve a tag or digest to a manifest of `repo` (NAME_UNKNOWN / MANIFEST_UNKNOWN otherwise). */
  async get(repo: string, reference: string): Promise<StoredManifest> {
    const digest = await this.resolve(repo, reference);
    const unknown = () => regError('MANIFEST_UNKNOWN', { name: repo, reference });
    const linkText = await readTextOrUndefined(this.layout.revision(repo, digest));
    if (linkText === undefined) throw unknown();
    const info = await this.blobs.stat(digest);
    if (!info) throw unknown();
    return { digest, mediaType: (JSON.parse(linkText) as RevisionLink).mediaType, file: info.file, size: info.size };
  }

  /** Tag: untag. Digest: remove the manifest from the repository with every tag naming it. */
  async delete(repo: string, reference: string): Promise<void> {
    if (!(await this.repoExists(repo))) throw regError('NAME_UNKNOWN', { name: repo });
    if (!isDigestReference(reference)) {
      if (!isValidTag(reference) || !(await removeIfPresent(this.layout.tag(repo, reference)))) {
        throw regError('MANIFEST_UNKNOWN', { name: repo, reference });
      }
      return;
    }
    const digest = checkDigest(reference);
    const linkText = await readTextOrUndefined(this.layout.revision(repo, digest));
    if (linkText === undefined) throw regError('MANIFEST_UNKNOWN', { name: repo, reference });
    for (const t of await this.tagsOf(repo, digest)) await removeIfPresent(this.layout.tag(repo, t));
    const subject = (JSON.parse(linkText) as RevisionLink).subject;
    const subjectDigest = subject ? parseDigest(subject) : undefined;
    if (subjectDigest) await removeIfPresent(this.layout.referrer(repo, subjectDigest, digest));
    await removeIfPresent(this.layout.revision(repo, digest));
  }

  /** Every tag of the repository, in Go's sort.Strings order (byte-wise). */
  async tags(repo: string): Promise<string[]> {
    if (!(await this.repoExists(repo))) throw regError('NAME_UNKNOWN', { name: repo });
    return (await listDir(this.layout.tagsDir(repo))).filter(isValidTag).sort(byteOrder);
  }

  async referrers(repo: string, subject: Digest): Promise<Descriptor[]> {
    const dir = this.layout.referrersDir(repo, subject);
    const found: Descriptor[] = [];
    for (const name of (await listDir(dir)).sort(byteOrder)) {
      const text = await readTextOrUndefined(path.join(dir, name));
      if (text !== undefined) found.push(JSON.parse(text) as Descriptor);
    }
    return found;
  }

  /** Digests of every manifest revision in `repo`. */
  async revisions(repo: string): Promise<Digest[]> {
    const out: Digest[] = [];
    for (const algorithm of await listDir(this.layout.revisionsDir(repo))) {
      for (const hex of await listDir(path.join(this.layout.revisionsDir(repo), algorithm))) {
        const d = parseDigest(`${algorithm}:${hex}`);
        if (d) out.push(d);
      }
    }
    return out;
  }

  private async resolve(repo: string, reference: string): Promise<Digest> {
    if (!(await this.repoExists(repo))) throw regError('NAME_UNKNOWN', { name: repo });
    if (isDigestReference(reference)) return checkDigest(reference);
    const text = isValidTag(reference) ? await readTextOrUndefined(this.layout.tag(repo, reference)) : undefined;
    const digest = text === undefined ? undefined : parseDigest(text.trim());
    if (!digest) throw regError('MANIFEST_UNKNOWN', { name: repo, reference });
    return digest;
  }

  private async tagsOf(repo: string, digest: Digest): Promise<string[]> {
    const out: string[] = [];
    for (const t of await listDir(this.layout.tagsDir(repo))) {
      if ((await readTextOrUndefined(this.layout.tag(repo, t)))?.trim() === digest.text) out.push(t);
    }
    return out;
  }

  /** Every referenced blob and child manifest must be in the repository (and is touched for gc). */
  private async checkReferences(repo: string, m: ParsedManifest): Promise<void> {
    const missing: RegistryError[] = [];
    for (const ref of m.blobs) {
      await this.blobs.touch(ref.digest);
      const info = await this.blobs.statInRepo(repo, ref.digest);
      if (!info) missing.push(regError('MANIFEST_BLOB_UNKNOWN', { digest: ref.digest.text }, 'blob unknown to registry'));
      else if (info.size !== ref.size) missing.push(regError('SIZE_INVALID', { digest: ref.digest.text, size: ref.size, actual: info.size }));
    }
    for (const ref of m.manifests) {
      await this.blobs.touch(ref.digest);
      const present = (await exists(this.layout.revision(repo, ref.digest))) ? await this.blobs.stat(ref.digest) : undefined;
      if (!present) missing.push(regError('MANIFEST_BLOB_UNKNOWN', { digest: ref.digest.text }, 'manifest unknown to registry'));
      else if (present.size !== ref.size) missing.push(regError('SIZE_INVALID', { digest: ref.digest.text, size: ref.size, actual: present.size }));
    }
    if (missing.length) {
      const [first, ...more] = missing;
      throw new RegistryError(first.code, { message: first.message, detail: first.detail, more });
    }
  }
}

/** The descriptor the referrers API lists for a manifest with a subject. */
function referrerDescriptor(m: ParsedManifest, digest: Digest, size: number): Descriptor {
  const d: Descriptor = { mediaType: m.mediaType, digest: digest.text, size };
  if (m.artifactType) d.artifactType = m.artifactType;
  if (m.annotations) d.annotations = m.annotations;
  return d;
}

export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

