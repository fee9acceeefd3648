// Parsing and validation of the manifest formats the registry stores: OCI image manifest and
// index, Docker schema2 manifest and manifest list. It extracts what storage needs: the blobs
// and child manifests a manifest references, and its subject (for the referrers API).
import { regError } from './errors';
import { parseDigest, type Digest } from './names';

export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const IMAGE_TYPES: readonly string[] = [MEDIA.ociManifest, MEDIA.dockerManifest];
const INDEX_TYPES: readonly string[] = [MEDIA.ociIndex, MEDIA.dockerList];
export const MANIFEST_TYPES: readonly string[] = [...IMAGE_TYPES, ...INDEX_TYPES];

/** Layers that live elsewhere (Windows base layers): the registry is not required to hold them. */
const FOREIGN_LAYER = /^application\/vnd\.(docker\.image\.rootfs\.foreign\.diff|oci\.image\.layer\.nondistributable\.v1)/;

/** Largest manifest accepted (the spec asks registries to take at least 4 MB). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  urls?: string[];
  [key: string]: unknown;
}

export interface ParsedManifest {
  mediaType: string;
  kind: 'image' | 'index';
  /** Blobs that must exist in the repository (config and layers of an image manifest). */
  blobs: Array<{ digest: Digest; size: number }>;
  /** Manifests that must exist in the repository (children of an index). */
  manifests: Array<{ digest: Digest; size: number }>;
  subject?: Digest;
  /** What the referrers API reports for this manifest. */
  artifactType?: string;
  annotations?: Record<string, string>;
}

const invalid = (reason: string) => regError('MANIFEST_INVALID', { reason }, `manifest invalid: ${reason}`);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkDescriptor(v: unknown, where: string): Descriptor & { parsed: Digest } {
  if (!isObject(v)) throw invalid(`${where}: not a descriptor`);
  if (typeof v.mediaType !== 'string' || v.mediaType === '') throw invalid(`${where}: mediaType missing`);
  if (typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0) throw invalid(`${where}: invalid size`);
  const parsed = typeof v.digest === 'string' ? parseDigest(v.digest) : undefined;
  if (!parsed) throw invalid(`${where}: invalid digest ${JSON.stringify(v.digest)}`);
  return { ...(v as unknown as Descriptor), parsed };
}

function stringMap(v: unknown, where: string): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) throw invalid(`${where}: annotations must map strings to strings`);
  return v as Record<string, string>;
}

/** Strip parameters ("; charset=utf-8") and case from a Content-Type. */
export function bareMediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Validate `body` as a manifest. The media type comes from its `mediaType` field, else from
 * the request's Content-Type (OCI manifests may omit the field); when both are given they
 * must agree.
 */
export function parseManifest(body: Buffer, contentType: string | undefined): ParsedManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('not valid JSON');
  }
  if (!isObject(doc)) throw invalid('not a JSON object');
  if (doc.schemaVersion !== 2) throw invalid(`unsupported schemaVersion ${JSON.stringify(doc.schemaVersion)} (schema1 is not accepted)`);
  const header = bareMediaType(contentType);
  const field = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  if (doc.mediaType !== undefined && field === undefined) throw invalid('mediaType must be a string');
  if (field && header && MANIFEST_TYPES.includes(header) && header !== field) {
    throw invalid(`Content-Type ${header} does not match mediaType ${field}`);
  }
  let mediaType = field ?? (MANIFEST_TYPES.includes(header) ? header : undefined);
  if (!mediaType) {
    // No declared type: an OCI manifest or index, told apart by its shape.
    mediaType = Array.isArray(doc.manifests) ? MEDIA.ociIndex : MEDIA.ociManifest;
  }
  if (!MANIFEST_TYPES.includes(mediaType)) throw invalid(`unsupported manifest media type ${mediaType}`);

  const annotations = stringMap(doc.annotations, 'annotations');
  const artifactType = typeof doc.artifactType === 'string' && doc.artifactType ? doc.artifactType : undefined;
  const subject = doc.subject === undefined ? undefined : checkDescriptor(doc.subject, 'subject').parsed;
  if (subject && mediaType.startsWith('application/vnd.docker')) throw invalid('subject is only defined for OCI manifests');

  if (IMAGE_TYPES.includes(mediaType)) {
    const config = checkDescriptor(doc.config, 'config');
    if (!Array.isArray(doc.layers)) throw invalid('layers must be an array');
    const layers = doc.layers.map((l, i) => checkDescriptor(l, `layers[${i}]`));
    const blobs = [config, ...layers.filter((l) => !FOREIGN_LAYER.test(l.mediaType))].map((x) => ({ digest: x.parsed, size: x.size }));
    return { mediaType, kind: 'image', blobs, manifests: [], subject, artifactType: artifactType ?? config.mediaType, annotations };
  }
  if (!Array.isArray(doc.manifests)) throw invalid('manifests must be an array');
  const children = doc.manifests.map((m, i) => checkDescriptor(m, `manifests[${i}]`));
  return {
    mediaType, kind: 'index', blobs: [],
    manifests: children.map((c) => ({ digest: c.parsed, size: c.size })), subject, artifactType, annotations,
  };
}

/** Does the request's Accept header allow `mediaType`? No header (or a wildcard) allows anything. */
export function accepts(acceptHeader: string | undefined, mediaType: string): boolean {
  if (!acceptHeader || !acceptHeader.trim()) return true;
  const types = acceptHeader.split(',').map((t) => bareMediaType(t)).filter(Boolean);
  return types.some((t) => t === mediaType || t === '*/*' || t === 'application/*');
}
