// start, stop, kill, pause, unpause, restart, rename, DELETE, prune.
import type { RequestContext } from '../context';
import { InvalidArgumentError, NotFoundError } from '../../errors';
import { parseFilters } from '../filters';
import { discardBody, queryBool, queryInt, queryString, sendJson, sendNoContent } from '../http-util';

/** Docker's stop/restart options: `t` seconds (-1 waits forever) and `signal`. */
function stopOptions(ctx: RequestContext): { timeout?: number; signal?: string } {
  return { timeout: queryInt(ctx.query, 't'), signal: queryString(ctx.query, 'signal') };
}

export async function startContainer(ctx: RequestContext): Promise<void> {
  // Before 1.24 a HostConfig could come with start; current clients send nothing.
  discardBody(ctx.req);
  if (queryString(ctx.query, 'checkpoint')) throw new InvalidArgumentError('checkpoint/restore is not supported');
  await ctx.backend.containers.start(ctx.params.name);
  sendNoContent(ctx.res);
}

export async function stopContainer(ctx: RequestContext): Promise<void> {
  await ctx.backend.containers.stop(ctx.params.name, stopOptions(ctx));
  sendNoContent(ctx.res);
}

export async function restartContainer(ctx: RequestContext): Promise<void> {
  await ctx.backend.containers.restart(ctx.params.name, stopOptions(ctx));
  sendNoContent(ctx.res);
}

export async function killContainer(ctx: RequestContext): Promise<void> {
  await ctx.backend.containers.kill(ctx.params.name, queryString(ctx.query, 'signal'));
  sendNoContent(ctx.res);
}

export async function pauseContainer(ctx: RequestContext): Promise<void> {
  await ctx.backend.containers.pause(ctx.params.name);
  sendNoContent(ctx.res);
}

export async function unpauseContainer(ctx: RequestContext): Promise<void> {
  await ctx.backend.containers.unpause(ctx.params.name);
  sendNoContent(ctx.res);
}

export async function renameContainer(ctx: RequestContext): Promise<void> {
  const newName = ctx.query.get('name') ?? '';
  await ctx.backend.containers.rename(ctx.params.name, newName);
  sendNoContent(ctx.res);
}

export async function removeContainer(ctx: RequestContext): Promise<void> {
  const { query, params, backend } = ctx;
  if (queryBool(query, 'link')) {
    // Links arrive with the networking work; until then no container has a link to remove.
    const name = params.name.startsWith('/') ? params.name : '/' + params.name;
    if (name.lastIndexOf('/') === 0) throw new InvalidArgumentError('Conflict, cannot remove the default link name of the container');
    throw new NotFoundError(`Could not find entity for ${name}`);
  }
  await backend.containers.remove(params.name, { force: queryBool(query, 'force'), volumes: queryBool(query, 'v') });
  sendNoContent(ctx.res);
}

export async function pruneContainers(ctx: RequestContext): Promise<void> {
  const result = await ctx.backend.containers.prune(parseFilters(ctx.query.get('filters')));
  sendJson(ctx.res, 200, {
    ContainersDeleted: result.deleted.length > 0 ? result.deleted : null,
    SpaceReclaimed: result.spaceReclaimed,
  });
}
