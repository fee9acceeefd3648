// Typed image endpoints (/images/...).
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { EngineClient } from './http-client';
import type { DeleteItem, Filters, HistoryItem, ImageInspect, ImagePruneReport, ImageSummary } from './types';
import { encodeFilters } from './filters';
import { encodeRegistryAuth, type DistributionInspect } from './registry-auth';

const enc = encodeURIComponent;

/** API 1.48 sends a platform as JSON ({"os":"linux","architecture":"amd64"}). */
function platformQuery(platform: string | undefined): string | undefined {
  if (!platform) return undefined;
  const [os, architecture, variant] = platform.split('/');
  return JSON.stringify(variant ? { os, architecture, variant } : { os, architecture });
}

export interface ImportOptions {
  repo?: string; tag?: string; message?: string; changes?: string[]; platform?: string;
  /** "-" (the request body, default) or a URL the daemon downloads. */
  fromSrc?: string;
}

export class ImageApi {
  constructor(private readonly c: EngineClient) {}

  list(o: { all?: boolean; filters?: Filters; digests?: boolean; sharedSize?: boolean } = {}): Promise<ImageSummary[]> {
    return this.c.json({
      path: '/images/json',
      query: {
        all: o.all || undefined, filters: encodeFilters(o.filters),
        digests: o.digests || undefined, 'shared-size': o.sharedSize || undefined,
      },
    });
  }

  inspect(name: string): Promise<ImageInspect> {
    return this.c.json({ path: `/images/${enc(name)}/json` });
  }

  history(name: string, platform?: string): Promise<HistoryItem[]> {
    return this.c.json({ path: `/images/${enc(name)}/history`, query: { platform: platformQuery(platform) } });
  }

  async tag(source: string, repo: string, tag?: string): Promise<void> {
    await this.c.call({ method: 'POST', path: `/images/${enc(source)}/tag`, query: { repo, tag } });
  }

  remove(name: string, opts: { force?: boolean; noPrune?: boolean } = {}): Promise<DeleteItem[]> {
    return this.c.json({
      method: 'DELETE', path: `/images/${enc(name)}`,
      query: { force: opts.force || undefined, noprune: opts.noPrune || undefined },
    });
  }

  prune(filters?: Filters): Promise<ImagePruneReport> {
    return this.c.json({ method: 'POST', path: '/images/prune', query: { filters: encodeFilters(filters) } });
  }

  /** GET /images/get: a tar stream of the named images (docker save). */
  save(names: string[], signal?: AbortSignal, platform?: string): Promise<IncomingMessage> {
    return this.c.request({ path: '/images/get', query: { names, platform: platformQuery(platform) }, signal });
  }

  /** POST /images/load: the response is a JSON-lines progress stream. */
  load(tar: Readable | Buffer, quiet = false, platform?: string): Promise<IncomingMessage> {
    return this.c.request({
      method: 'POST', path: '/images/load', query: { quiet, platform: platformQuery(platform) }, body: tar, contentType: 'application/x-tar',
    });
  }

  /** POST /images/create?fromSrc=-: import a rootfs tar; JSON-lines progress stream. */
  import(tar: Readable | Buffer, o: ImportOptions): Promise<IncomingMessage> {
    return this.c.request({
      method: 'POST', path: '/images/create',
      query: { fromSrc: o.fromSrc ?? '-', repo: o.repo, tag: o.tag, message: o.message || undefined, changes: o.changes, platform: o.platform },
      body: tar, contentType: 'application/x-tar',
    });
  }

  /** POST /images/create?fromImage=: pull; JSON-lines progress. `registryAuth` is the encoded X-Registry-Auth value. */
  pull(image: string, tag: string | undefined, platform?: string, registryAuth?: string): Promise<IncomingMessage> {
    return this.c.request({
      method: 'POST', path: '/images/create', query: { fromImage: image, tag, platform },
      headers: registryAuth ? { 'X-Registry-Auth': registryAuth } : undefined,
    });
  }

  /** POST /images/{name}/push: JSON-lines progress; no tag pushes every tag of the repository. */
  push(name: string, tag: string | undefined, registryAuth?: string): Promise<IncomingMessage> {
    return this.c.request({
      method: 'POST', path: `/images/${enc(name)}/push`, query: { tag },
      headers: { 'X-Registry-Auth': registryAuth ?? encodeRegistryAuth({}) },
    });
  }

  /** GET /distribution/{name}/json. */
  distribution(name: string, registryAuth?: string): Promise<DistributionInspect> {
    return this.c.json({ path: `/distribution/${enc(name)}/json`, headers: registryAuth ? { 'X-Registry-Auth': registryAuth } : undefined });
  }
}
