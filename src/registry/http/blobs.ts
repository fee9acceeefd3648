// GET/HEAD/DELETE /v2/<name>/blobs/<digest>: blobs streamed from disk (never buffered), with
// single-range requests answered 206.
import { promises as fsp } from 'node:fs';
import { regError } from '../errors';
import { checkDigest } from '../names';
import { isNotFound } from '../storage/fsutil';
import type { Exchange } from './exchange';
import { parseRangeHeader } from './ranges';
import { sendFileRange } from './send-file';
import { API_VERSION_HEADER, sendEmpty } from './respond';


export async function getBlob(x: Exchange): Promise<void> {
  const { name, ref } = x.route;
  const digest = checkDigest(ref);
  const unknown = () => regError('BLOB_UNKNOWN', { digest: digest.text });
  if (!(await x.storage.blobs.isLinked(name, digest))) throw unknown();
  let fh;
  try {
    fh = await fsp.open(x.storage.layout.blob(digest), 'r');
  } catch (err) {
    if (isNotFound(err)) throw unknown();
    throw err;
  }
  try {
    const size = (await fh.stat()).size;
    const headers: Record<string, string> = {
      ...API_VERSION_HEADER,
      'Docker-Content-Digest': digest.text,
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      ETag: `"${digest.text}"`,
      'Cache-Control': 'max-age=31536000',
    };
    const range = parseRangeHeader(x.req.headers.range, size);
    if (range === 'unsatisfiable') {
      sendEmpty(x.res, 416, { 'Content-Range': `bytes */${size}` });
      return;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    headers['Content-Length'] = String(end - start + 1);
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    x.res.writeHead(range ? 206 : 200, headers);
    if (x.req.method === 'HEAD' || size === 0) {
      x.res.end();
      return;
    }
    await sendFileRange(fh, start, end, x.res);
  } finally {
    await fh.close();
  }
}

export async function deleteBlob(x: Exchange): Promise<void> {
  const digest = checkDigest(x.route.ref);
  if (!(await x.storage.blobs.unlink(x.route.name, digest))) throw regError('BLOB_UNKNOWN', { digest: digest.text });
  sendEmpty(x.res, 202, { 'Docker-Content-Digest': digest.text });
}
