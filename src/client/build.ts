// POST /build (legacy builder: the context tar as the body, a JSON-lines stream
// back) and POST /build/prune.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { readBody, type EngineClient } from './http-client';
import type { RegistryAuth } from './registry-auth';

export interface BuildOptions {
  dockerfile?: string;
  tags: string[];
  buildArgs: Record<string, string | null>;
  labels: Record<string, string>;
  target?: string;
  noCache?: boolean;
  quiet?: boolean;
  pull?: boolean;
  platform?: string;
  networkMode?: string;
  /** IDs of secrets the context carries (Berth extension, see build/context/secrets.ts). */
  secrets?: string[];
  cacheFrom?: string[];
  /** A URL the daemon fetches the context from (git or http(s)); the body is then empty. */
  remote?: string;
  /** ssh-agent sockets by ID (Berth extension, see build/exec/run-mounts.ts). */
  sshSockets?: Record<string, string>;
  /** X-Registry-Config: logins by server address, for base images the daemon pulls. */
  registryConfig?: Record<string, RegistryAuth>;
}

export interface BuildCachePruneReport { CachesDeleted: string[] | null; SpaceReclaimed: number }

export class BuildApi {
  constructor(private readonly c: EngineClient) {}

  build(context: Readable, o: BuildOptions): Promise<IncomingMessage> {
    return this.c.request({
      method: 'POST', path: '/build',
      query: {
        dockerfile: o.dockerfile, t: o.tags, target: o.target, nocache: o.noCache || undefined, q: o.quiet || undefined,
        pull: o.pull || undefined, platform: o.platform, networkmode: o.networkMode, rm: true,
        buildargs: Object.keys(o.buildArgs).length ? JSON.stringify(o.buildArgs) : undefined,
        labels: Object.keys(o.labels).length ? JSON.stringify(o.labels) : undefined,
        secrets: o.secrets?.length ? JSON.stringify(o.secrets) : undefined,
        cachefrom: o.cacheFrom?.length ? JSON.stringify(o.cacheFrom) : undefined,
        remote: o.remote,
        sshsockets: o.sshSockets && Object.keys(o.sshSockets).length ? JSON.stringify(o.sshSockets) : undefined,
      },
      headers: o.registryConfig && Object.keys(o.registryConfig).length
        ? { 'X-Registry-Config': Buffer.from(JSON.stringify(o.registryConfig)).toString('base64url') } : undefined,
      body: context, contentType: 'application/x-tar',
    });
  }

  async prune(all = false): Promise<BuildCachePruneReport> {
    const res = await this.c.request({ method: 'POST', path: '/build/prune', query: { all: all || undefined } });
    return JSON.parse((await readBody(res)).toString('utf8')) as BuildCachePruneReport;
  }
}
