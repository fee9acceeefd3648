// POST /images/create (import from the request body, or pull: see registry.ts), POST /images/load, GET /images/get and /images/{name}/get.
import { pipeline } from 'node:stream/promises';
import type { RequestContext } from '../context';
import { InvalidArgumentError, NotImplementedError } from '../../errors';
import { discardBody, queryString } from '../http-util';
import { pullImage } from './registry';

/** Docker's progress streams end every JSON message with CRLF. */
function progressLines(messages: Record<string, unknown>[]): string {
  return messages.map((m) => JSON.stringify(m) + '\r\n').join('');
}

function sendProgress(ctx: RequestContext, messages: Record<string, unknown>[]): void {
  const body = progressLines(messages);
  ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  ctx.res.end(body);
}

async function importImage(ctx: RequestContext, fromSrc: string): Promise<void> {
  if (fromSrc !== '-') {
    discardBody(ctx.req);
    throw new NotImplementedError(`importing from a URL is not supported by Berth yet (fromSrc=${fromSrc}); send the tar as the request body with fromSrc=-`);
  }
  const repo = queryString(ctx.query, 'repo');
  const tag = queryString(ctx.query, 'tag');
  if (!repo && tag) throw new InvalidArgumentError('tag given without a repository');
  const image = await ctx.backend.images.importTar(ctx.req, {
    reference: repo ? (tag ? `${repo}:${tag}` : repo) : undefined,
    changes: ctx.query.getAll('changes').filter((c) => c.trim() !== ''),
    message: queryString(ctx.query, 'message'),
    platform: queryString(ctx.query, 'platform'),
  });
  sendProgress(ctx, [{ status: image.id }]);
}

export async function createImage(ctx: RequestContext): Promise<void> {
  const fromSrc = queryString(ctx.query, 'fromSrc');
  if (fromSrc !== undefined) return importImage(ctx, fromSrc);
  const fromImage = queryString(ctx.query, 'fromImage');
  if (fromImage === undefined) {
    discardBody(ctx.req);
    throw new InvalidArgumentError('either fromImage or fromSrc is required');
  }
  return pullImage(ctx, fromImage);
}

export async function loadImages(ctx: RequestContext): Promise<void> {
  // quiet=0 would add per-layer progress bars; the summary lines are the same either way.
  const result = await ctx.backend.images.load(ctx.req);
  sendProgress(ctx, result.messages.map((m) => ({ stream: m.endsWith('\n') ? m : m + '\n' })));
}

async function sendSave(ctx: RequestContext, names: string[]): Promise<void> {
  if (names.length === 0) throw new InvalidArgumentError('no image names given');
  // Resolve first: an unknown name must be a 404, not a truncated tar.
  for (const name of names) ctx.backend.images.get(name);
  const tar = ctx.backend.images.save(names);
  ctx.res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  await pipeline(tar, ctx.res);
}

export async function saveImages(ctx: RequestContext): Promise<void> {
  await sendSave(ctx, ctx.query.getAll('names').filter((n) => n !== ''));
}

export async function saveImage(ctx: RequestContext): Promise<void> {
  await sendSave(ctx, [ctx.params.name]);
}
