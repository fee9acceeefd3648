// berth cp CONTAINER:SRC_PATH DEST_PATH|-  /  berth cp SRC_PATH|- CONTAINER:DEST_PATH
// Docker's path rules: the daemon archives or extracts one path; this side picks
// the directory to extract into and renames the archive's top entry as needed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError, ContainerFsApi, isGoDir, isGoSymlink, type ContainerPathStat } from '../../client';
import type { CommandContext, CommandDef } from '../command';
import { CliError } from '../errors';
import {
  extractToHost, hasTrailingSeparator, hostDestinationInfo, hostSourceInfo, prepareArchiveCopy, rebaseArchive,
  specifiesCurrentDir, splitPathDirEntry, tarHostResource, type CopyInfo,
} from '../io/cp-archive';

/** docker's splitCpArg: "/abs" and "./x:y" are local; "ctr:path" names a container. */
export function splitCpArg(arg: string): { container: string; path: string } {
  if (arg.startsWith('/')) return { container: '', path: arg };
  const i = arg.indexOf(':');
  if (i < 0 || arg.startsWith('.')) return { container: '', path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

/** filepath.Abs keeping a trailing "/" or "/." (the copy rules depend on them). */
function localAbs(p: string): string {
  const abs = path.resolve(p);
  if (specifiesCurrentDir(p) && !specifiesCurrentDir(abs)) return abs === '/' ? '/.' : `${abs}/.`;
  if (hasTrailingSeparator(p) && !hasTrailingSeparator(abs)) return `${abs}/`;
  return abs;
}

// Go os.FileMode type bits that are neither a directory nor a regular file.
const GO_NAMED_PIPE = 2 ** 25;
const GO_SOCKET = 2 ** 24;
const GO_DEVICE = 2 ** 26;
const bit = (mode: number, b: number) => Math.floor(mode / b) % 2 === 1;

function checkOutputMode(mode: number): string | undefined {
  if (bit(mode, GO_DEVICE)) return 'got a device';
  if (isGoSymlink(mode)) return 'got a symbolic link';
  if (bit(mode, GO_NAMED_PIPE)) return 'got a named pipe';
  if (bit(mode, GO_SOCKET)) return 'got a socket';
  return undefined;
}

function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${i === 0 ? v : Number(v.toPrecision(3))}${units[i]}`;
}

function counter(): { stream: Transform; bytes: () => number } {
  let total = 0;
  const stream = new Transform({ transform(chunk: Buffer, _enc, cb) { total += chunk.length; cb(null, chunk); } });
  return { stream, bytes: () => total };
}

async function statOrUndefined(api: ContainerFsApi, id: string, p: string): Promise<ContainerPathStat | undefined> {
  try {
    return await api.statPath(id, p);
  } catch (err) {
    if (err instanceof ApiError) return undefined;
    throw err;
  }
}

interface CpConfig { container: string; src: string; dst: string; followLink: boolean; archive: boolean; quiet: boolean }

async function copyFromContainer(ctx: CommandContext, api: ContainerFsApi, cfg: CpConfig): Promise<void> {
  let srcPath = cfg.src;
  const dstPath = cfg.dst === '-' ? '-' : localAbs(cfg.dst);
  if (dstPath !== '-') {
    const dir = path.dirname(path.normalize(dstPath));
    if (!fs.existsSync(dir)) throw new CliError(`invalid output path: directory "${dir}" does not exist`, 1);
    const st = fs.statSync(dstPath, { throwIfNoEntry: false });
    if (st && !st.isDirectory() && !st.isFile()) throw new CliError(`invalid output path: "${dstPath}" must be a directory or a regular file`, 1);
  }
  let rebaseName = '';
  if (cfg.followLink) {
    const stat = await statOrUndefined(api, cfg.container, srcPath);
    if (stat && isGoSymlink(stat.mode)) {
      let target = stat.linkTarget;
      if (!target.startsWith('/')) target = path.posix.join(splitPathDirEntry(srcPath)[0], target);
      // GetRebaseName: keep "/." and "/" markers, and the name the user asked for.
      if (specifiesCurrentDir(srcPath) && !specifiesCurrentDir(target)) target += '/.';
      if (hasTrailingSeparator(srcPath) && !hasTrailingSeparator(target)) target += '/';
      if (path.posix.basename(srcPath) !== path.posix.basename(target)) rebaseName = path.posix.basename(srcPath);
      srcPath = target;
    }
  }
  const { tar, stat } = await api.getArchive(cfg.container, srcPath);
  if (dstPath === '-') {
    await pipeline(tar, ctx.stdout, { end: false });
    return;
  }
  const srcInfo: CopyInfo = { path: srcPath, exists: true, isDir: stat ? isGoDir(stat.mode) : false, rebaseName };
  let content: Readable = tar;
  if (rebaseName) content = rebaseArchive(content, splitPathDirEntry(srcPath)[1], rebaseName);
  const dstInfo = hostDestinationInfo(dstPath);
  const { dir, archive } = prepareArchiveCopy(content, srcInfo, dstInfo);
  const count = counter();
  archive.on('error', (err) => count.stream.destroy(err));
  await extractToHost(archive.pipe(count.stream), dir, { chown: cfg.archive && process.getuid?.() === 0 });
  if (!cfg.quiet) ctx.err(`Successfully copied ${humanSize(count.bytes())} to ${dstPath}\n`);
}

async function copyToContainer(ctx: CommandContext, api: ContainerFsApi, cfg: CpConfig): Promise<void> {
  const dstPath = cfg.dst;
  const dstInfo: CopyInfo = { path: dstPath, exists: false, isDir: false, rebaseName: '' };
  let dstStat = await statOrUndefined(api, cfg.container, dstPath);
  if (dstStat && isGoSymlink(dstStat.mode)) {
    let target = dstStat.linkTarget;
    if (!target.startsWith('/')) target = path.posix.join(splitPathDirEntry(dstPath)[0], target);
    dstInfo.path = target;
    dstStat = await statOrUndefined(api, cfg.container, target);
  }
  if (dstStat) {
    const problem = checkOutputMode(dstStat.mode);
    if (problem) throw new CliError(`destination "${cfg.container}:${dstPath}" must be a directory or a regular file: ${problem}`, 1);
    dstInfo.exists = true;
    dstInfo.isDir = isGoDir(dstStat.mode);
  }
  let content: Readable;
  let target: string;
  if (cfg.src === '-') {
    if (!dstInfo.isDir) throw new CliError(`destination "${cfg.container}:${dstPath}" must be a directory`, 1);
    content = ctx.stdin;
    target = dstInfo.path;
  } else {
    const srcInfo = hostSourceInfo(cfg.src, cfg.followLink);
    const { dir, archive } = prepareArchiveCopy(tarHostResource(srcInfo), srcInfo, dstInfo);
    content = archive;
    target = dir;
  }
  const count = counter();
  content.on('error', (err) => count.stream.destroy(err));
  await api.putArchive(cfg.container, target, content.pipe(count.stream), { copyUIDGID: cfg.archive });
  if (!cfg.quiet) ctx.err(`Successfully copied ${humanSize(count.bytes())} to ${cfg.container}:${dstPath}\n`);
}

export const cp: CommandDef = {
  usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  short: 'Copy files/folders between a container and the local filesystem',
  args: { min: 2, max: 2 },
  flags: [
    { name: 'archive', short: 'a', kind: 'bool', usage: 'Archive mode (copy all uid/gid information)' },
    { name: 'follow-link', short: 'L', kind: 'bool', usage: 'Always follow symbol link in SRC_PATH' },
    { name: 'quiet', short: 'q', kind: 'bool', usage: 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached' },
  ],
  async run(ctx, flags, args) {
    const [source, destination] = args;
    if (source === '') throw new CliError('source can not be empty', 1);
    if (destination === '') throw new CliError('destination can not be empty', 1);
    const src = splitCpArg(source);
    const dst = splitCpArg(destination);
    const base = {
      followLink: flags.bool('follow-link'), archive: flags.bool('archive'),
      quiet: flags.bool('quiet') || !ctx.stderr.isTTY,
    };
    const api = new ContainerFsApi(ctx.client().engine);
    if (src.container && dst.container) throw new CliError('copying between containers is not supported', 1);
    if (src.container) {
      await copyFromContainer(ctx, api, { ...base, container: src.container, src: src.path, dst: dst.path });
      return;
    }
    if (dst.container) {
      await copyToContainer(ctx, api, { ...base, container: dst.container, src: src.path, dst: dst.path });
      return;
    }
    throw new CliError('must specify at least one container source', 1);
  },
};
