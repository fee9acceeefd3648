// GET /containers/json and GET /containers/{name}/json.
import type { RequestContext } from '../context';
import { parseFilters } from '../filters';
import { queryBool, queryInt, sendJson } from '../http-util';
import { containerInspectJson, containerSummaryJson } from '../convert/container';

export async function listContainers(ctx: RequestContext): Promise<void> {
  const { query, backend } = ctx;
  const size = queryBool(query, 'size');
  const limit = queryInt(query, 'limit');
  const list = backend.containers.list({
    all: queryBool(query, 'all'),
    limit: limit !== undefined && limit > 0 ? limit : undefined,
    size,
    filters: parseFilters(query.get('filters')),
  });
  const now = Date.now();
  const rows: Record<string, unknown>[] = [];
  for (const c of list) {
    let sizes: { sizeRw: number; sizeRootFs: number } | undefined;
    if (size) {
      try {
        sizes = await backend.containers.sizes(c.id);
      } catch {
        continue; // removed meanwhile
      }
    }
    rows.push(containerSummaryJson(c, backend, sizes, now));
  }
  sendJson(ctx.res, 200, rows);
}

export async function inspectContainer(ctx: RequestContext): Promise<void> {
  const { backend, params, query } = ctx;
  const container = backend.containers.get(params.name);
  const sizes = queryBool(query, 'size') ? await backend.containers.sizes(container.id) : undefined;
  sendJson(ctx.res, 200, containerInspectJson(container, { ...backend, execIds: (id) => backend.containers.exec.idsOf(id) }, sizes));
}
