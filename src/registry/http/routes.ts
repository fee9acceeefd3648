// URL → endpoint of the Distribution API. Repository names contain slashes, so each pattern
// anchors on the fixed suffix ("/blobs/uploads/<uuid>", "/manifests/<ref>", ...).
import { regError, RegistryError } from '../errors';
import { checkName } from '../names';

export type RouteKind = 'base' | 'catalog' | 'tags' | 'manifest' | 'blob' | 'uploads' | 'upload' | 'referrers';

export interface Route {
  kind: RouteKind;
  /** Repository name (validated) for repository endpoints. */
  name?: string;
  /** Manifest reference, blob digest, upload uuid or referrers subject, still unvalidated. */
  ref?: string;
}

/** Methods each endpoint answers (HEAD only where GET is). */
export const METHODS: Record<RouteKind, readonly string[]> = {
  base: ['GET', 'HEAD'],
  catalog: ['GET'],
  tags: ['GET'],
  manifest: ['GET', 'HEAD', 'PUT', 'DELETE'],
  blob: ['GET', 'HEAD', 'DELETE'],
  uploads: ['POST'],
  upload: ['GET', 'PATCH', 'PUT', 'DELETE'],
  referrers: ['GET'],
};

const PATTERNS: Array<[RouteKind, RegExp]> = [
  ['base', /^\/v2\/?$/],
  ['catalog', /^\/v2\/_catalog$/],
  ['tags', /^\/v2\/(.+)\/tags\/list$/],
  ['manifest', /^\/v2\/(.+)\/manifests\/([^/]+)$/],
  ['uploads', /^\/v2\/(.+)\/blobs\/uploads\/?$/],
  ['upload', /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/],
  ['blob', /^\/v2\/(.+)\/blobs\/([^/]+)$/],
  ['referrers', /^\/v2\/(.+)\/referrers\/([^/]+)$/],
];

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw regError('NAME_INVALID', { segment }, 'malformed percent-encoding in URL');
  }
}

/** The endpoint for `pathname`, or undefined (not part of the API: 404). */
export function matchRoute(pathname: string): Route | undefined {
  for (const [kind, re] of PATTERNS) {
    const m = re.exec(pathname);
    if (!m) continue;
    if (kind === 'base' || kind === 'catalog') return { kind };
    return { kind, name: checkName(decode(m[1])), ref: m[2] === undefined ? undefined : decode(m[2]) };
  }
  return undefined;
}

export function notFound(pathname: string): RegistryError {
  return new RegistryError('UNSUPPORTED', { status: 404, message: 'no such endpoint', detail: { path: pathname } });
}
