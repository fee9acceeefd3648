// The OCI Distribution operations Berth needs on one repository: manifests by tag
// or digest, blob existence / download (with Range) / upload (POST, streamed
// PATCH, PUT ?digest=) / cross-repository mount, and tag listing.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, NotFoundError } from '../errors';
import { sha256Digest } from '../util/ids';
import { MANIFEST_ACCEPT } from './manifest';
import { describeRegistryErrors, readLimited, unexpectedResponse } from './registry-errors';
import type { RegistrySession } from './session';

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

const MAX_MANIFEST = 4 << 20;

export class RepositoryClient {
  constructor(readonly session: RegistrySession, readonly repo: string) {}

  private path(kind: string, rest: string): string {
    return `/v2/${this.repo}/${kind}/${rest}`;
  }

  /** GET a manifest; `ref` is a tag or digest. The digest is checked when asked by digest. */
  async getManifest(ref: string, describe: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const res = await this.session.request({ method: 'GET', path: this.path('manifests', ref), headers: { Accept: MANIFEST_ACCEPT }, signal });
    if (res.statusCode === 404) {
      const body = await readLimited(res);
      throw new NotFoundError(`manifest for ${describe} not found: ${describeRegistryErrors(body) ?? 'manifest unknown: manifest unknown'}`);
    }
    if (res.statusCode !== 200) await unexpectedResponse(res, 'registry');
    const bytes = await readLimited(res, MAX_MANIFEST + 1);
    if (bytes.length > MAX_MANIFEST) throw new InvalidArgumentError(`manifest for ${describe} is larger than ${MAX_MANIFEST} bytes`);
    const digest = sha256Digest(bytes);
    if (ref.startsWith('sha256:') && ref !== digest) throw new InvalidArgumentError(`manifest verification failed for digest ${ref}`);
    const mediaType = String(res.headers['content-type'] ?? '').split(';')[0].trim();
    return { bytes, mediaType, digest };
  }

  /** HEAD a manifest: its descriptor, or undefined when the registry has none. */
  async headManifest(ref: string, signal?: AbortSignal): Promise<{ digest: string; size: number; mediaType: string } | undefined> {
    const res = await this.session.request({ method: 'HEAD', path: this.path('manifests', ref), headers: { Accept: MANIFEST_ACCEPT }, signal });
    res.resume();
    if (res.statusCode === 404) return undefined;
    if (res.statusCode !== 200) await unexpectedResponse(res, 'registry');
    const digest = String(res.headers['docker-content-digest'] ?? '');
    return { digest, size: Number(res.headers['content-length'] ?? 0), mediaType: String(res.headers['content-type'] ?? '').split(';')[0] };
  }

  async putManifest(ref: string, bytes: Buffer, mediaType: string, signal?: AbortSignal): Promise<string> {
    const res = await this.session.request({ method: 'PUT', path: this.path('manifests', ref), headers: { 'Content-Type': mediaType }, body: bytes, signal });
    if (res.statusCode !== 201 && res.statusCode !== 200) await unexpectedResponse(res, 'registry');
    res.resume();
    return String(res.headers['docker-content-digest'] ?? '') || sha256Digest(bytes);
  }

  /** Size of a blob the registry has, undefined when it has none. */
  async statBlob(digest: string, signal?: AbortSignal): Promise<number | undefined> {
    const res = await this.session.request({ method: 'HEAD', path: this.path('blobs', digest), signal });
    res.resume();
    if (res.statusCode === 404) return undefined;
    if (res.statusCode !== 200) await unexpectedResponse(res, 'registry');
    return Number(res.headers['content-length'] ?? 0);
  }

  /** Opens a blob from byte `offset` (Range); the answer is 200 (whole) or 206 (from offset). */
  async openBlob(digest: string, offset: number, signal?: AbortSignal): Promise<IncomingMessage> {
    const headers: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {};
    const res = await this.session.request({ method: 'GET', path: this.path('blobs', digest), headers, signal });
    if (res.statusCode !== 200 && res.statusCode !== 206) await unexpectedResponse(res, 'registry');
    return res;
  }

  /** URL and headers for GET of a blob by another thread (see RegistrySession.prepare). */
  prepareBlobGet(digest: string, signal?: AbortSignal): Promise<{ url: string; headers: Record<string, string>; insecure: boolean }> {
    return this.session.prepare(this.path('blobs', digest), signal);
  }

  async readBlob(digest: string, limit: number, signal?: AbortSignal): Promise<Buffer> {
    const res = await this.openBlob(digest, 0, signal);
    const bytes = await readLimited(res, limit + 1);
    if (bytes.length > limit) throw new InvalidArgumentError(`blob ${digest} is larger than ${limit} bytes`);
    if (sha256Digest(bytes) !== digest) throw new InvalidArgumentError(`digest mismatch for blob ${digest}`);
    return bytes;
  }

  /** Tries a cross-repository mount; returns true when mounted, else an upload location to use. */
  async mountBlob(digest: string, from: string, signal?: AbortSignal): Promise<true | string> {
    const q = new URLSearchParams({ mount: digest, from });
    const res = await this.session.request({ method: 'POST', path: `/v2/${this.repo}/blobs/uploads/?${q}`, signal });
    res.resume();
    if (res.statusCode === 201) return true;
    if (res.statusCode === 202) return this.location(res);
    return unexpectedResponse(res, 'registry');
  }

  async startUpload(signal?: AbortSignal): Promise<string> {
    const res = await this.session.request({ method: 'POST', path: `/v2/${this.repo}/blobs/uploads/`, signal });
    res.resume();
    if (res.statusCode !== 202) await unexpectedResponse(res, 'registry');
    return this.location(res);
  }

  /**
   * Streams `body` to an upload (PATCH), then commits it under the digest `finish()`
   * returns once the body has ended (known only then when compressing on the fly).
   */
  async upload(location: string, body: Readable, finish: () => string | Promise<string>, signal?: AbortSignal): Promise<void> {
    const patch = await this.session.request({
      method: 'PATCH', path: location, headers: { 'Content-Type': 'application/octet-stream' }, body: () => body, signal,
    });
    if (patch.statusCode !== 202 && patch.statusCode !== 204) await unexpectedResponse(patch, 'registry');
    patch.resume();
    const next = new URL(this.location(patch));
    next.searchParams.set('digest', await finish());
    const put = await this.session.request({ method: 'PUT', path: next.toString(), headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.alloc(0), signal });
    if (put.statusCode !== 201 && put.statusCode !== 204) await unexpectedResponse(put, 'registry');
    put.resume();
  }

  async tags(signal?: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    let next: string | undefined = `/v2/${this.repo}/tags/list`;
    while (next) {
      const res = await this.session.request({ method: 'GET', path: next, signal });
      if (res.statusCode !== 200) await unexpectedResponse(res, 'registry');
      const parsed = JSON.parse((await readLimited(res, 16 << 20)).toString('utf8')) as { tags?: string[] | null };
      out.push(...(parsed.tags ?? []));
      const link = /<([^>]+)>;\s*rel="?next"?/.exec(String(res.headers.link ?? ''));
      next = link ? new URL(link[1], this.session.baseUrl).toString() : undefined;
    }
    return out;
  }

  private location(res: IncomingMessage): string {
    const loc = res.headers.location;
    if (!loc) throw new InvalidArgumentError('registry answered an upload without a Location');
    return new URL(loc, this.session.baseUrl).toString();
  }
}
