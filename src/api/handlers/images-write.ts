// POST /images/{name}/tag, DELETE /images/{name}, POST /images/prune.
import type { RequestContext } from '../context';
import { InvalidArgumentError } from '../../errors';
import { parseFilters } from '../filters';
import { queryBool, queryString, sendJson, sendNoContent } from '../http-util';

export async function tagImage(ctx: RequestContext): Promise<void> {
  const repo = queryString(ctx.query, 'repo');
  if (!repo) throw new InvalidArgumentError('repository name (repo parameter) is required');
  await ctx.backend.images.tag(ctx.params.name, repo, queryString(ctx.query, 'tag'));
  sendNoContent(ctx.res, 201);
}

export async function removeImage(ctx: RequestContext): Promise<void> {
  const items = await ctx.backend.images.remove(ctx.params.name, {
    force: queryBool(ctx.query, 'force'),
    noprune: queryBool(ctx.query, 'noprune'),
  });
  sendJson(ctx.res, 200, items);
}

export async function pruneImages(ctx: RequestContext): Promise<void> {
  const result = await ctx.backend.images.prune({ filters: parseFilters(ctx.query.get('filters')) });
  sendJson(ctx.res, 200, {
    ImagesDeleted: result.deleted.length > 0 ? result.deleted : null,
    SpaceReclaimed: result.spaceReclaimed,
  });
}
