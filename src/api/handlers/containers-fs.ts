// Container filesystem endpoints: /containers/{name}/archive (HEAD stat, GET tar,
// PUT extract), /export and /changes.
import { pipeline } from 'node:stream/promises';
import type { RequestContext } from '../context';
import { encodePathStat } from '../../container/fs/path-stat';
import { InvalidArgumentError } from '../../errors';
import { discardBody, queryBool, sendJson } from '../http-util';

const STAT_HEADER = 'X-Docker-Container-Path-Stat';

/** Docker's ArchiveFormValues: the path is required. */
function archivePath(ctx: RequestContext): string {
  const path = ctx.query.get('path') ?? '';
  if (path === '') throw new InvalidArgumentError('bad parameter: path cannot be empty');
  return path;
}

export async function headArchive(ctx: RequestContext): Promise<void> {
  const stat = await ctx.backend.containerFs.statPath(ctx.params.name, archivePath(ctx));
  ctx.res.writeHead(200, { [STAT_HEADER]: encodePathStat(stat) });
  ctx.res.end();
}

export async function getArchive(ctx: RequestContext): Promise<void> {
  const { stat, tar } = await ctx.backend.containerFs.getArchive(ctx.params.name, archivePath(ctx));
  ctx.res.writeHead(200, { [STAT_HEADER]: encodePathStat(stat), 'Content-Type': 'application/x-tar' });
  await pipeline(tar, ctx.res);
}

export async function putArchive(ctx: RequestContext): Promise<void> {
  try {
    // Like moby: overwriting a directory with a file is allowed unless noOverwriteDirNonDir is set and true.
    const noOverwriteDirNonDir = ctx.query.has('noOverwriteDirNonDir') && queryBool(ctx.query, 'noOverwriteDirNonDir');
    await ctx.backend.containerFs.putArchive(ctx.params.name, archivePath(ctx), ctx.req, {
      noOverwriteDirNonDir, copyUIDGID: queryBool(ctx.query, 'copyUIDGID'),
    });
  } catch (err) {
    discardBody(ctx.req);
    throw err;
  }
  ctx.res.writeHead(200, { 'Content-Length': 0 });
  ctx.res.end();
}

export async function exportContainer(ctx: RequestContext): Promise<void> {
  const tar = await ctx.backend.containerFs.exportFs(ctx.params.name);
  ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  await pipeline(tar, ctx.res);
}

export async function containerChanges(ctx: RequestContext): Promise<void> {
  const changes = await ctx.backend.containerFs.changes(ctx.params.name);
  // moby answers null (a nil slice) when nothing changed.
  sendJson(ctx.res, 200, changes.length ? changes : null);
}
