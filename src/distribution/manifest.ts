// Image manifests and indexes in both dialects (OCI and Docker schema 2), and the
// platform choice in an index (os/architecture/variant, as containerd's matcher:
// an exact variant first, then the architecture's default variant).
import { InvalidArgumentError } from '../errors';
import { isDigest } from '../util/ids';
import { MEDIA } from '../image/context';
import type { Platform } from './types';

export const MANIFEST_ACCEPT = [MEDIA.ociManifest, MEDIA.ociIndex, MEDIA.dockerManifest, MEDIA.dockerList].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string; 'os.version'?: string; 'os.features'?: string[] };
  urls?: string[];
}

export interface ImageManifest {
  kind: 'manifest';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  kind: 'index';
  mediaType: string;
  manifests: Descriptor[];
}

const LAYER_TYPES = new Set<string>([MEDIA.ociLayer, MEDIA.ociLayerGzip, MEDIA.ociLayerZstd, MEDIA.dockerLayer, MEDIA.dockerLayerGzip,
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd']);

function checkDescriptor(d: unknown, what: string): Descriptor {
  const desc = d as Descriptor;
  if (!desc || typeof desc !== 'object' || typeof desc.digest !== 'string' || !isDigest(desc.digest) || typeof desc.size !== 'number' || desc.size < 0) {
    throw new InvalidArgumentError(`invalid manifest: bad ${what} descriptor`);
  }
  return desc;
}

/** Parses a fetched manifest, taking the media type from the body, else from Content-Type. */
export function parseManifest(bytes: Buffer, contentType: string): ImageManifest | ImageIndex {
  let doc: { schemaVersion?: number; mediaType?: string; config?: unknown; layers?: unknown[]; manifests?: unknown[] };
  try { doc = JSON.parse(bytes.toString('utf8')) as typeof doc; } catch { throw new InvalidArgumentError('invalid manifest: not JSON'); }
  const mediaType = doc.mediaType || contentType;
  if (doc.schemaVersion === 1 || SCHEMA1.has(mediaType)) {
    throw new InvalidArgumentError('Docker Image Format v1 and Docker Image manifest version 2, schema 1 are not supported');
  }
  if (Array.isArray(doc.manifests) || mediaType === MEDIA.ociIndex || mediaType === MEDIA.dockerList) {
    return { kind: 'index', mediaType: mediaType || MEDIA.ociIndex, manifests: (doc.manifests ?? []).map((m) => checkDescriptor(m, 'manifest')) };
  }
  if (!doc.config || !Array.isArray(doc.layers)) throw new InvalidArgumentError(`invalid manifest: unsupported media type ${mediaType || '(none)'}`);
  const layers = doc.layers.map((l) => checkDescriptor(l, 'layer'));
  for (const l of layers) {
    if (!LAYER_TYPES.has(l.mediaType)) throw new InvalidArgumentError(`unsupported layer media type ${l.mediaType}`);
  }
  return { kind: 'manifest', mediaType: mediaType || MEDIA.ociManifest, config: checkDescriptor(doc.config, 'config'), layers };
}

const SCHEMA1 = new Set(['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws']);

const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8', arm: 'v7' };

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

export function parsePlatformString(text: string): Platform {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const p = JSON.parse(trimmed) as Partial<Platform>;
    if (!p.os || !p.architecture) throw new InvalidArgumentError(`invalid platform: ${text}`);
    return { os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) };
  }
  const [os, arch, variant] = trimmed.toLowerCase().split('/');
  if (!os || os.includes(' ')) throw new InvalidArgumentError(`"${text}": unknown operating system or architecture: invalid argument`);
  const architecture = arch === 'x86_64' ? 'amd64' : arch === 'aarch64' ? 'arm64' : (arch || 'amd64');
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** The index entry for `want`, or undefined (attestation manifests are never chosen). */
export function selectPlatform(index: ImageIndex, want: Platform): Descriptor | undefined {
  const candidates = index.manifests.filter((m) => m.platform && m.platform.os === want.os && m.platform.architecture === want.architecture);
  const wantVariant = want.variant ?? DEFAULT_VARIANT[want.architecture];
  return candidates.find((m) => (m.platform?.variant ?? DEFAULT_VARIANT[want.architecture]) === wantVariant)
    ?? (want.variant ? undefined : candidates[0]);
}

export function isGzipMedia(mediaType: string): boolean {
  return mediaType.endsWith('gzip');
}

export function isZstdMedia(mediaType: string): boolean {
  return mediaType.endsWith('zstd');
}

/** A layer blob pushed as stored (gzip or zstd), rather than compressed on the way. */
export function isCompressedMedia(mediaType: string): boolean {
  return isGzipMedia(mediaType) || isZstdMedia(mediaType);
}
