// GET /system/df: disk usage of images (with shared layer bytes), containers and
// (until volumes and the builder exist) empty volume and build-cache lists.
import type { RequestContext } from '../context';
import type { Container } from '../../container/types';
import { InvalidArgumentError } from '../../errors';
import { sendJson } from '../http-util';
import { imageSummaryJson } from '../convert/image';
import { containerSummaryJson } from '../convert/container';

const DF_TYPES = ['container', 'image', 'volume', 'build-cache'] as const;

/** Bytes of a chain's own layers, keyed by chain ID, walking parents. */
function chainLayers(ctx: RequestContext, top: string | null): Array<{ chainId: string; size: number }> {
  const out: Array<{ chainId: string; size: number }> = [];
  let cur = top;
  while (cur) {
    const info = ctx.backend.layers.get(cur);
    if (!info) break;
    out.push({ chainId: cur, size: info.size });
    cur = info.parent;
  }
  return out;
}

async function containerRows(ctx: RequestContext, all: Container[]): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const c of all) {
    let sizes: { sizeRw: number; sizeRootFs: number } | undefined;
    try {
      sizes = await ctx.backend.containers.sizes(c.id);
    } catch {
      continue; // removed while we were counting
    }
    rows.push(containerSummaryJson(c, ctx.backend, sizes));
  }
  return rows;
}

export async function systemDf(ctx: RequestContext): Promise<void> {
  const requested = ctx.query.getAll('type');
  for (const t of requested) {
    if (!(DF_TYPES as readonly string[]).includes(t)) throw new InvalidArgumentError(`unknown object type: ${t}`);
  }
  const want = (t: string) => requested.length === 0 || requested.includes(t);
  const { images, containers } = ctx.backend;
  const allContainers = containers.list({ all: true });
  const body: Record<string, unknown> = {};

  if (want('image')) {
    const all = images.list({ all: true });
    const refs = new Map<string, number>();
    const sizes = new Map<string, number>();
    const perImage = all.map((img) => chainLayers(ctx, img.chainId));
    for (const chain of perImage) {
      for (const l of chain) {
        refs.set(l.chainId, (refs.get(l.chainId) ?? 0) + 1);
        sizes.set(l.chainId, l.size);
      }
    }
    body.LayersSize = [...sizes.values()].reduce((a, b) => a + b, 0);
    body.Images = all.map((img, i) => {
      const shared = perImage[i].filter((l) => (refs.get(l.chainId) ?? 0) > 1).reduce((a, l) => a + l.size, 0);
      const using = allContainers.filter((c) => c.imageId === img.id).length;
      return imageSummaryJson(img, ctx.version, { containers: using, sharedSize: shared });
    });
  }
  if (want('container')) body.Containers = await containerRows(ctx, allContainers);
  if (want('volume')) body.Volumes = [];
  if (want('build-cache')) body.BuildCache = [];
  sendJson(ctx.res, 200, body);
}
