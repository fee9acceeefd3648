// POST /commit: a new image from a container's changes.
import type { RequestContext } from '../context';
import { InvalidArgumentError } from '../../errors';
import { queryBool, queryString, readJsonObject, sendJson } from '../http-util';

export async function commitContainer(ctx: RequestContext): Promise<void> {
  const { query } = ctx;
  const config = await readJsonObject(ctx.req);
  const repo = queryString(query, 'repo');
  const tag = queryString(query, 'tag');
  if (!repo && tag) throw new InvalidArgumentError('tag given without a repository');
  // moby pauses unless pause is given and false.
  const pause = !query.has('pause') || queryBool(query, 'pause');
  const id = await ctx.backend.containerFs.commit(query.get('container') ?? '', {
    reference: repo ? (tag ? `${repo}:${tag}` : repo) : undefined,
    author: queryString(query, 'author'),
    comment: queryString(query, 'comment'),
    pause,
    changes: query.getAll('changes').filter((c) => c.trim() !== ''),
    config,
  });
  sendJson(ctx.res, 201, { Id: id });
}
