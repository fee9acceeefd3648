// GET /images/json, /images/{name}/json, /images/{name}/history.
import type { RequestContext } from '../context';
import { parseFilters } from '../filters';
import { queryBool, sendJson } from '../http-util';
import { imageInspectJson, imageSummaryJson } from '../convert/image';

export function listImages(ctx: RequestContext): void {
  const { query, backend } = ctx;
  const filters = parseFilters(query.get('filters'));
  // Before API 1.41 the reference filter came as the `filter` parameter.
  const legacy = query.get('filter');
  if (legacy) filters.reference = [...(filters.reference ?? []), legacy];
  const images = backend.images.list({ all: queryBool(query, 'all'), filters });
  const withContainers = queryBool(query, 'containers');
  const all = withContainers ? backend.containers.list({ all: true }) : [];
  const rows = images.map((img) => imageSummaryJson(img, ctx.version, withContainers
    ? { containers: all.filter((c) => c.imageId === img.id).length }
    : undefined));
  sendJson(ctx.res, 200, rows);
}

export function inspectImage(ctx: RequestContext): void {
  const image = ctx.backend.images.get(ctx.params.name);
  sendJson(ctx.res, 200, imageInspectJson(image, ctx.backend.layers, ctx.version));
}

export function imageHistory(ctx: RequestContext): void {
  sendJson(ctx.res, 200, ctx.backend.images.history(ctx.params.name));
}
