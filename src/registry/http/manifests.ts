// GET/HEAD/PUT/DELETE /v2/<name>/manifests/<tag-or-digest>.
import { promises as fsp } from 'node:fs';
import { regError } from '../errors';
import { accepts, MAX_MANIFEST_BYTES } from '../manifest-format';
import { readLimited } from './body';
import { locations, type Exchange } from './exchange';
import { API_VERSION_HEADER, sendEmpty } from './respond';

export async function getManifest(x: Exchange): Promise<void> {
  const { name, ref } = x.route;
  const m = await x.storage.manifests.get(name, ref);
  if (!accepts(x.req.headers.accept, m.mediaType)) {
    throw regError('MANIFEST_UNKNOWN', { reference: ref, mediaType: m.mediaType, accept: x.req.headers.accept },
      `manifest is ${m.mediaType}, which the Accept header does not allow`);
  }
  const body = x.req.method === 'HEAD' ? undefined : await fsp.readFile(m.file);
  x.res.writeHead(200, {
    ...API_VERSION_HEADER,
    'Content-Type': m.mediaType,
    'Content-Length': String(m.size),
    'Docker-Content-Digest': m.digest.text,
    ETag: `"${m.digest.text}"`,
  });
  x.res.end(body);
}

export async function putManifest(x: Exchange): Promise<void> {
  const { name, ref } = x.route;
  const body = await readLimited(x.req, MAX_MANIFEST_BYTES);
  const tags = x.url.searchParams.getAll('tag');
  const result = await x.storage.manifests.put(name, ref, body, x.req.headers['content-type'], tags);
  const headers: Record<string, string | string[]> = {
    Location: locations.manifest(name, result.digest.text),
    'Docker-Content-Digest': result.digest.text,
  };
  if (result.subject) headers['OCI-Subject'] = result.subject.text;
  if (tags.length) headers['OCI-Tag'] = tags;
  sendEmpty(x.res, 201, headers);
}

export async function deleteManifest(x: Exchange): Promise<void> {
  await x.storage.manifests.delete(x.route.name, x.route.ref);
  sendEmpty(x.res, 202);
}
