// Undo helpers: an import or load that fails must leave no blob or unpacked layer
// that no image uses. Layers unpacked but never retained are settled through a
// retain/release pair, which lets the layer store collect them at once.
import type { ImageContext } from './context';

export function isBlobUsed(ctx: ImageContext, digest: string): boolean {
  return ctx.repo.all().some((img) => img.id === digest || img.manifestDigest === digest || img.layers.some((l) => l.digest === digest));
}

/** Layers this operation unpacked: unreferenced ones are deleted, referenced ones stay. */
export async function settleLayers(ctx: ImageContext, chainIds: string[]): Promise<void> {
  const present = [...new Set(chainIds)].filter((c) => ctx.layers.has(c));
  if (present.length === 0) return;
  ctx.layers.retain(present);
  await ctx.layers.release(present);
}

export async function rollbackAdded(ctx: ImageContext, added: { chainIds: string[]; blobs: string[] }): Promise<void> {
  await settleLayers(ctx, added.chainIds);
  for (const digest of new Set(added.blobs)) {
    if (!isBlobUsed(ctx, digest)) await ctx.content.delete(digest);
  }
}
