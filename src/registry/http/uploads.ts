// Blob uploads: POST (start, monolithic with ?digest=, or cross-repository ?mount=&from=),
// PATCH (chunks, in order), PUT (close with ?digest=), GET (status), DELETE (cancel).
import { regError } from '../errors';
import { checkDigest, DIGEST_ALGORITHMS, isValidName } from '../names';
import { locations, type Exchange } from './exchange';
import { parseContentRange } from './ranges';
import { contentLength, hasBody, sendEmpty } from './respond';

/** The Range header of upload responses: "0-<last byte>" ("0-0" before the first byte, as the CNCF registry does). */
function rangeValue(size: number): string {
  return `0-${Math.max(size - 1, 0)}`;
}

function sessionHeaders(name: string, uuid: string, size: number): Record<string, string> {
  return { Location: locations.upload(name, uuid), Range: rangeValue(size), 'Docker-Upload-UUID': uuid };
}

export async function startUpload(x: Exchange): Promise<void> {
  const { name } = x.route;
  const q = x.url.searchParams;
  const mount = q.get('mount');
  if (mount !== null) {
    const digest = checkDigest(mount);
    const from = q.get('from');
    // A mount we cannot do (unknown source, no read access to it) becomes a normal upload.
    if (from !== null && isValidName(from) && x.identity.allows({ type: 'repository', name: from, actions: ['pull'] })) {
      if (await x.storage.blobs.touch(digest) && await x.storage.blobs.statInRepo(from, digest)) {
        await x.storage.blobs.link(name, digest);
        sendEmpty(x.res, 201, { Location: locations.blob(name, digest.text), 'Docker-Content-Digest': digest.text });
        return;
      }
    }
  }
  const digestParam = q.get('digest');
  if (digestParam !== null) {
    const digest = checkDigest(digestParam);
    await x.storage.uploads.monolithic(name, digest, x.req, contentLength(x.req));
    sendEmpty(x.res, 201, { Location: locations.blob(name, digest.text), 'Docker-Content-Digest': digest.text });
    return;
  }
  const algorithm = q.get('digest-algorithm') ?? 'sha256';
  if (DIGEST_ALGORITHMS[algorithm] === undefined) throw regError('DIGEST_INVALID', { algorithm }, `unsupported digest algorithm ${algorithm}`);
  const uuid = await x.storage.uploads.create(name, algorithm);
  x.req.resume(); // a POST without ?digest= carries no blob data
  sendEmpty(x.res, 202, sessionHeaders(name, uuid, 0));
}

export async function patchUpload(x: Exchange): Promise<void> {
  const { name, ref: uuid } = x.route;
  const range = parseContentRange(x.req.headers['content-range']);
  const size = await x.storage.uploads.append(name, uuid, x.req, range, contentLength(x.req));
  sendEmpty(x.res, 202, sessionHeaders(name, uuid, size));
}

export async function putUpload(x: Exchange): Promise<void> {
  const { name, ref: uuid } = x.route;
  const digest = checkDigest(x.url.searchParams.get('digest'));
  const finalChunk = hasBody(x.req)
    ? { body: x.req, range: parseContentRange(x.req.headers['content-range']), length: contentLength(x.req) }
    : undefined;
  await x.storage.uploads.complete(name, uuid, digest, finalChunk);
  sendEmpty(x.res, 201, { Location: locations.blob(name, digest.text), 'Docker-Content-Digest': digest.text });
}

export async function uploadStatus(x: Exchange): Promise<void> {
  const { name, ref: uuid } = x.route;
  const size = await x.storage.uploads.size(name, uuid);
  sendEmpty(x.res, 204, sessionHeaders(name, uuid, size));
}

export async function cancelUpload(x: Exchange): Promise<void> {
  await x.storage.uploads.cancel(x.route.name, x.route.ref);
  sendEmpty(x.res, 204);
}

