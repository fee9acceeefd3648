// /v2/ (version check), tags/list and _catalog (with n/last pagination and a Link to the
// next page), and the referrers API.
import { RegistryError } from '../errors';
import { MEDIA } from '../manifest-format';
import { checkDigest } from '../names';
import { listRepositories } from '../storage/catalog';
import type { Exchange } from './exchange';
import { sendJson } from './respond';

interface Page { items: string[]; next?: string }

/** Items after `last`, at most `n`; `next` is the last item shown when more follow. */
export function paginate(sorted: string[], params: URLSearchParams): Page & { n?: number } {
  const nText = params.get('n');
  const last = params.get('last');
  let n: number | undefined;
  if (nText !== null && nText !== '') {
    if (!/^\d+$/.test(nText)) throw new RegistryError('UNSUPPORTED', { status: 400, message: 'invalid pagination parameter n', detail: { n: nText } });
    n = Number(nText);
  }
  const rest = last ? sorted.filter((t) => t > last) : sorted;
  if (n === undefined) return { items: rest };
  const items = rest.slice(0, n);
  return { items, n, next: n > 0 && rest.length > n ? items[items.length - 1] : undefined };
}

function linkHeader(path: string, n: number, last: string): Record<string, string> {
  return { Link: `<${path}?n=${n}&last=${encodeURIComponent(last)}>; rel="next"` };
}

export async function listTags(x: Exchange): Promise<void> {
  const { name } = x.route;
  const page = paginate(await x.storage.manifests.tags(name), x.url.searchParams);
  const headers = page.next !== undefined && page.n !== undefined ? linkHeader(`/v2/${name}/tags/list`, page.n, page.next) : {};
  sendJson(x.res, 200, { name, tags: page.items }, headers);
}

export async function catalog(x: Exchange): Promise<void> {
  const page = paginate(await listRepositories(x.storage.layout), x.url.searchParams);
  const headers = page.next !== undefined && page.n !== undefined ? linkHeader('/v2/_catalog', page.n, page.next) : {};
  sendJson(x.res, 200, { repositories: page.items }, headers);
}

export async function referrers(x: Exchange): Promise<void> {
  const { name, ref } = x.route;
  const subject = checkDigest(ref);
  const artifactType = x.url.searchParams.get('artifactType');
  let manifests = await x.storage.manifests.referrers(name, subject);
  const headers: Record<string, string> = { 'Content-Type': MEDIA.ociIndex };
  if (artifactType) {
    manifests = manifests.filter((m) => m.artifactType === artifactType);
    headers['OCI-Filters-Applied'] = 'artifactType';
  }
  sendJson(x.res, 200, { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests }, headers);
}
