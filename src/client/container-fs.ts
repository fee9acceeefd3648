// Container filesystem endpoints: archive (cp), export, changes (diff), commit.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { EngineClient } from './http-client';

const enc = encodeURIComponent;

/** X-Docker-Container-Path-Stat, decoded. `mode` is a Go os.FileMode. */
export interface ContainerPathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export interface ContainerChange { Path: string; Kind: number }

export interface CommitOptions {
  repo?: string; tag?: string; comment?: string; author?: string; pause?: boolean; changes?: string[];
  config?: Record<string, unknown>;
}

/** Go os.FileMode type bits the CLI checks. */
export const GO_MODE_DIR = 2 ** 31;
export const GO_MODE_SYMLINK = 2 ** 27;

export function decodePathStat(header: string | string[] | undefined): ContainerPathStat | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as ContainerPathStat;
}

export function isGoDir(mode: number): boolean {
  return Math.floor(mode / GO_MODE_DIR) % 2 === 1;
}

export function isGoSymlink(mode: number): boolean {
  return Math.floor(mode / GO_MODE_SYMLINK) % 2 === 1;
}

export class ContainerFsApi {
  constructor(private readonly c: EngineClient) {}

  /** HEAD archive: undefined when the path does not exist (404). */
  async statPath(id: string, path: string): Promise<ContainerPathStat> {
    const res = await this.c.request({ method: 'HEAD', path: `/containers/${enc(id)}/archive`, query: { path } });
    res.resume();
    const stat = decodePathStat(res.headers['x-docker-container-path-stat']);
    if (!stat) throw new Error('the daemon sent no path stat');
    return stat;
  }

  /** GET archive: the tar stream and the stat of the path. */
  async getArchive(id: string, path: string): Promise<{ tar: IncomingMessage; stat: ContainerPathStat | undefined }> {
    const res = await this.c.request({ path: `/containers/${enc(id)}/archive`, query: { path } });
    return { tar: res, stat: decodePathStat(res.headers['x-docker-container-path-stat']) };
  }

  /** PUT archive: extract a tar into the directory `path`. */
  async putArchive(id: string, path: string, tar: Readable | Buffer, options: { noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean } = {}): Promise<void> {
    await this.c.call({
      method: 'PUT', path: `/containers/${enc(id)}/archive`,
      query: { path, noOverwriteDirNonDir: options.noOverwriteDirNonDir, copyUIDGID: options.copyUIDGID },
      body: tar, contentType: 'application/x-tar',
    });
  }

  export(id: string): Promise<IncomingMessage> {
    return this.c.request({ path: `/containers/${enc(id)}/export` });
  }

  async changes(id: string): Promise<ContainerChange[]> {
    return (await this.c.json<ContainerChange[] | null>({ path: `/containers/${enc(id)}/changes` })) ?? [];
  }

  async commit(container: string, o: CommitOptions): Promise<{ Id: string }> {
    return this.c.json<{ Id: string }>({
      method: 'POST', path: '/commit',
      query: { container, repo: o.repo, tag: o.tag, comment: o.comment, author: o.author, pause: o.pause, changes: o.changes },
      body: o.config ?? null,
    });
  }
}
