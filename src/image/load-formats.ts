// Reads the two archive formats `docker load` accepts into a list of images to
// store: `docker save`'s manifest.json (legacy and Docker 25+ paths) and OCI image
// layouts (index.json, nested indexes, name annotations). Only reads the spool.
import * as fs from 'node:fs';
import { InvalidArgumentError, errorMessage } from '../errors';
import { isDigest, sha256Digest } from '../util/ids';
import { hostPlatform } from './import';
import { parseReference, withDefaultTag, type ImageReference } from './reference';
import type { Spool } from './spool';
import type { ImageConfigFile } from './types';

export interface LayerFile { name: string; file: string; digest?: string; size?: number; mediaType?: string }

export interface Candidate {
  id: string; // config digest
  configBytes: Buffer;
  config: ImageConfigFile;
  layers: LayerFile[];
  tags: ImageReference[];
}

interface Descriptor { mediaType?: string; digest: string; size?: number; annotations?: Record<string, string>; platform?: { os?: string; architecture?: string } }

const invalid = (detail: string) => new InvalidArgumentError(`invalid archive: ${detail}`);

function must(spool: Spool, name: string): string {
  if (typeof name !== 'string') throw invalid('a file name in the manifest is not a string');
  const file = spool.resolve(name);
  if (!file) throw invalid(`${name} is missing`);
  return file;
}

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (err) {
    throw invalid(`${what}: ${errorMessage(err)}`);
  }
}

/** `blobs/sha256/<hex>` names say which digest their content must have. */
function digestOfPath(name: string): string | undefined {
  const m = /^(?:\.\/)?blobs\/sha256\/([a-f0-9]{64})$/.exec(name);
  return m ? `sha256:${m[1]}` : undefined;
}

function parseTags(names: string[]): ImageReference[] {
  return names.map((n) => {
    const ref = withDefaultTag(parseReference(n));
    if (ref.digest) throw invalid(`invalid tag ${n}`);
    return ref;
  });
}

function candidate(configName: string, configBytes: Buffer, expected: string | undefined, layers: LayerFile[], tags: ImageReference[]): Candidate {
  const id = sha256Digest(configBytes);
  if (expected && expected !== id) throw invalid(`digest mismatch for ${configName}: expected ${expected}, got ${id}`);
  const config = parseJson<ImageConfigFile>(configBytes, configName);
  const diffIds = config?.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || !diffIds.every((d) => typeof d === 'string' && isDigest(d))) throw invalid(`${configName} has no valid rootfs.diff_ids`);
  if (diffIds.length !== layers.length) throw invalid(`${configName} lists ${diffIds.length} layers, the manifest ${layers.length}`);
  return { id, configBytes, config, layers, tags };
}

export function dockerCandidates(spool: Spool): Candidate[] {
  const manifest = parseJson<Array<{ Config: string; RepoTags?: string[] | null; Layers?: string[] }>>(fs.readFileSync(must(spool, 'manifest.json')), 'manifest.json');
  if (!Array.isArray(manifest)) throw invalid('manifest.json is not a list');
  return manifest.map((m) => {
    const layers = (m.Layers ?? []).map((name) => ({ name, file: must(spool, name), digest: digestOfPath(name) }));
    return candidate(m.Config, fs.readFileSync(must(spool, m.Config)), digestOfPath(m.Config), layers, parseTags(m.RepoTags ?? []));
  });
}

function blobName(desc: Descriptor): string {
  if (!desc || typeof desc.digest !== 'string' || !isDigest(desc.digest)) throw invalid(`unsupported digest ${String(desc?.digest)}`);
  return `blobs/sha256/${desc.digest.slice(7)}`;
}

/** A JSON blob of the layout, verified against its descriptor. */
function readBlob<T>(spool: Spool, desc: Descriptor): { bytes: Buffer; doc: T } {
  const name = blobName(desc);
  const bytes = fs.readFileSync(must(spool, name));
  if (sha256Digest(bytes) !== desc.digest) throw invalid(`digest mismatch for ${name}`);
  return { bytes, doc: parseJson<T>(bytes, name) };
}

export function ociCandidates(spool: Spool): Candidate[] {
  const out: Candidate[] = [];
  const host = hostPlatform();
  const visit = (desc: Descriptor, tags: ImageReference[], depth: number) => {
    if (depth > 4) throw invalid('image indexes nest too deep');
    const { doc } = readBlob<{ manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] }>(spool, desc);
    if (Array.isArray(doc.manifests)) {
      const pick = doc.manifests.find((m) => m.platform?.os === host.os && m.platform?.architecture === host.architecture) ?? doc.manifests[0];
      if (!pick) throw invalid('empty image index');
      visit(pick, tags, depth + 1);
      return;
    }
    if (!doc.config) throw invalid(`${desc.digest} is not an image manifest`);
    const config = readBlob<unknown>(spool, doc.config);
    const layers = (doc.layers ?? []).map((l) => {
      const name = blobName(l);
      return { name, file: must(spool, name), digest: l.digest, size: l.size, mediaType: l.mediaType };
    });
    out.push(candidate(blobName(doc.config), config.bytes, doc.config.digest, layers, tags));
  };
  const index = parseJson<{ manifests?: Descriptor[] }>(fs.readFileSync(must(spool, 'index.json')), 'index.json');
  if (!Array.isArray(index?.manifests)) throw invalid('index.json has no manifests');
  for (const desc of index.manifests) {
    const ann = desc.annotations ?? {};
    // containerd's full name wins; a bare ref.name ("latest") names no repository.
    let name = ann['io.containerd.image.name'];
    const refName = ann['org.opencontainers.image.ref.name'];
    if (!name && refName && /[:/]/.test(refName)) name = refName;
    visit(desc, name ? parseTags([name]) : [], 0);
  }
  return out;
}
