// Container filesystem operations: archive (cp), export, changes (diff), commit.
// Each borrows the container's overlay mount through SharedRootfsStore, so they
// work on running and stopped containers alike and leave a stopped container
// unmounted again when they finish (for streams: before the stream ends, so a
// client that has read the whole tar finds the container unmounted, as with dockerd).
import * as fs from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { createLayerTar, extractLayer } from '../../archive';
import { BerthError, ConflictError, InvalidArgumentError, NotFoundError, errorMessage } from '../../errors';
import type { EventBus } from '../../events';
import type { ImageService } from '../../image/types';
import { resolveUser } from '../../runtime';
import { eventAttributes } from '../context';
import type { Container, ContainerService } from '../types';
import { collectChanges } from './changes';
import { commitConfig } from './commit-config';
import { pathStat, type PathStat } from './path-stat';
import { resolveInRoot, type RootPath } from './root-path';
import { runtimeStubPaths } from './runtime-stubs';
import type { SharedRootfsStore } from './shared-rootfs';
import type { CommitOptions, ContainerFsService, FilesystemChange, PutArchiveOptions } from './types';

export interface ContainerFsDeps {
  containers: ContainerService;
  images: ImageService;
  rootfs: SharedRootfsStore;
  events: EventBus;
}

/** Go's filepath.Base: trailing slashes ignored, "/" for the root, "." for "". */
function goBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** moby's PreserveTrailingDotOrSeparator(filepath.Join("/", p), p). */
function archiveAbsPath(p: string): string {
  const cleaned = ('/' + p).split('/').reduce<string[]>((acc, seg) => {
    if (seg === '' || seg === '.') return acc;
    if (seg === '..') acc.pop(); else acc.push(seg);
    return acc;
  }, []);
  let out = '/' + cleaned.join('/');
  const currentDir = p === '.' || p.endsWith('/.');
  if (currentDir && out !== '/') out += '/.';
  else if (currentDir) out = '/.';
  else if (p.endsWith('/') && out !== '/') out += '/';
  return out;
}

function fileNotFound(path: string, container: string): NotFoundError {
  return new NotFoundError(`Could not find the file ${path} in container ${container}`);
}

export class ContainerFsServiceImpl implements ContainerFsService {
  constructor(private readonly deps: ContainerFsDeps) {}

  async statPath(idOrName: string, path: string): Promise<PathStat> {
    requirePath(path);
    const c = this.deps.containers.get(idOrName);
    return this.withRootfs(c, (root) => {
      const r = this.resolve(root, path, idOrName);
      try {
        return this.stat(root, r, goBase(path), path, idOrName);
      } finally {
        r.close();
      }
    });
  }

  async getArchive(idOrName: string, path: string): Promise<{ stat: PathStat; tar: Readable }> {
    requirePath(path);
    const c = this.deps.containers.get(idOrName);
    const root = await this.deps.rootfs.acquire(c.id);
    let r: RootPath | undefined;
    try {
      const abs = archiveAbsPath(path);
      r = this.resolve(root, abs, idOrName);
      const name = goBase(abs);
      const stat = this.stat(root, r, name, path, idOrName);
      const held = r;
      const tar = endAfterRelease(createLayerTar(r.host, { whiteouts: 'keep', rootName: name }), () => { held.close(); return this.deps.rootfs.release(c.id); });
      this.publish('archive-path', c);
      return { stat, tar };
    } catch (err) {
      r?.close();
      await this.deps.rootfs.release(c.id);
      throw err;
    }
  }

  async putArchive(idOrName: string, path: string, tar: Readable, options: PutArchiveOptions): Promise<void> {
    requirePath(path);
    const c = this.deps.containers.get(idOrName);
    await this.withRootfs(c, async (root) => {
      let r: RootPath;
      try {
        r = resolveInRoot(root, path, { followLast: true });
      } catch (err) {
        throw translate(err, path, idOrName);
      }
      try {
        if (!r.exists) throw fileNotFound(path, idOrName);
        if (!fs.lstatSync(r.host).isDirectory()) throw new InvalidArgumentError('extraction point is not a directory');
        if (c.hostConfig.ReadonlyRootfs) throw new InvalidArgumentError('container rootfs is marked read-only');
        let chown: { uid: number; gid: number } | undefined;
        if (options.copyUIDGID && c.config.User) {
          try {
            const user = resolveUser(root, c.config.User);
            chown = { uid: user.uid, gid: user.gid };
          } catch (err) {
            throw new InvalidArgumentError(errorMessage(err));
          }
        }
        await extractLayer(tar, r.host, { whiteouts: 'keep', noOverwriteDirNonDir: options.noOverwriteDirNonDir, chown });
      } finally {
        r.close();
      }
    });
    this.publish('extract-to-dir', c);
  }

  async exportFs(idOrName: string): Promise<Readable> {
    const c = this.deps.containers.get(idOrName);
    const root = await this.deps.rootfs.acquire(c.id);
    let r: RootPath | undefined;
    try {
      r = resolveInRoot(root, '/');
      const held = r;
      const tar = endAfterRelease(createLayerTar(r.host, { whiteouts: 'keep' }), () => { held.close(); return this.deps.rootfs.release(c.id); });
      this.publish('export', c);
      return tar;
    } catch (err) {
      r?.close();
      await this.deps.rootfs.release(c.id);
      throw err;
    }
  }

  async changes(idOrName: string): Promise<FilesystemChange[]> {
    const c = this.deps.containers.get(idOrName);
    const upper = this.deps.rootfs.upperDir(c.id);
    const lowers = this.deps.rootfs.lowerDirs(c.id);
    const stubs = runtimeStubPaths(upper, lowers);
    return collectChanges(upper, lowers, (p) => stubs.has(p));
  }

  async commit(idOrName: string, options: CommitOptions): Promise<string> {
    const c = this.deps.containers.get(idOrName);
    if (c.state.Dead) throw new ConflictError(`You cannot commit container ${c.id} which is Dead`);
    if (c.state.Status === 'removing') throw new ConflictError(`You cannot commit container ${c.id} which is being removed`);
    const config = commitConfig(c.config, options.config, options.changes);
    this.deps.images.get(c.imageId); // the parent must still exist
    let paused = false;
    if (options.pause && c.state.Running && !c.state.Paused) {
      paused = await this.deps.containers.pause(c.id).then(() => true, () => false);
    }
    try {
      const upper = this.deps.rootfs.upperDir(c.id);
      const stubs = runtimeStubPaths(upper, this.deps.rootfs.lowerDirs(c.id));
      const layer = createLayerTar(upper, { skip: (rel) => stubs.has(`/${rel}`) });
      const image = await this.deps.images.commit({
        parentId: c.imageId, layer, config, containerConfig: structuredClone(c.config) as unknown as typeof config,
        containerId: c.id, author: options.author, comment: options.comment, reference: options.reference,
      });
      this.publish('commit', c, { comment: options.comment ?? '', imageID: image.id, imageRef: options.reference ? image.repoTags[0] ?? options.reference : '' });
      return image.id;
    } finally {
      if (paused) await this.deps.containers.unpause(c.id).catch(() => undefined);
    }
  }

  private async withRootfs<T>(c: Container, fn: (root: string) => T | Promise<T>): Promise<T> {
    const root = await this.deps.rootfs.acquire(c.id);
    try {
      return await fn(root);
    } finally {
      await this.deps.rootfs.release(c.id);
    }
  }

  private resolve(root: string, path: string, container: string): RootPath {
    let r: RootPath;
    try {
      r = resolveInRoot(root, path);
    } catch (err) {
      throw translate(err, path, container);
    }
    if (!r.exists) {
      r.close();
      throw fileNotFound(path, container);
    }
    return r;
  }

  private stat(root: string, r: RootPath, name: string, path: string, container: string): PathStat {
    let st: fs.BigIntStats;
    try {
      st = fs.lstatSync(r.host, { bigint: true });
    } catch (err) {
      throw translate(err, path, container);
    }
    let linkTarget = '';
    if (st.isSymbolicLink()) {
      const target = resolveInRoot(root, r.containerPath, { followLast: true, lenient: true });
      linkTarget = target.containerPath;
      target.close();
    }
    return pathStat(name, st, linkTarget);
  }

  private publish(action: string, c: Container, extra?: Record<string, string>): void {
    this.deps.events.publish('container', action, c.id, eventAttributes(c, extra));
  }
}

function requirePath(path: string): void {
  if (path === '') throw new InvalidArgumentError('bad parameter: path cannot be empty');
}

/** fs errors of a lookup → Docker's answers (missing → 404, a file used as a directory → 400). */
function translate(err: unknown, path: string, container: string): Error {
  if (err instanceof BerthError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return fileNotFound(path, container);
  if (code === 'ENOTDIR') return new InvalidArgumentError(`lstat ${path}: not a directory`);
  if (code === 'ELOOP') return new InvalidArgumentError(`lstat ${path}: too many levels of symbolic links`);
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * `source` through a stream that ends only once `release` is done; release runs
 * too when the source fails or the reader goes away, and only once.
 */
function endAfterRelease(source: Readable, release: () => Promise<void>): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  let released: Promise<void> | undefined;
  const releaseOnce = () => (released ??= release().catch(() => undefined));
  source.pipe(out, { end: false });
  source.once('end', () => { void releaseOnce().then(() => out.end()); });
  source.once('error', (err: Error) => { void releaseOnce().then(() => out.destroy(err)); });
  out.once('close', () => { source.destroy(); void releaseOnce(); });
  return out;
}
