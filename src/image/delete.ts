// Image removal with Docker's untag/delete rules and conflict texts
// (hard conflicts cannot be forced; soft ones can).
import { ConflictError } from '../errors';
import { shortId } from '../util/ids';
import type { ImageContext } from './context';
import { fullString, parseReference, withDefaultTag } from './reference';
import type { StoredImage } from './repository';
import { removeRef } from './tagging';
import type { ImageDeleteItem } from './types';

function repoOf(fullRef: string): string {
  const ref = parseReference(fullRef);
  return `${ref.domain}/${ref.path}`;
}

/** One repository at most (tags and digests of the same repo count as one). */
function isSingleReference(refs: string[]): boolean {
  return new Set(refs.map(repoOf)).size <= 1;
}

function isIdPrefix(imageId: string, ref: string): boolean {
  const hex = imageId.slice(7);
  const r = ref.startsWith('sha256:') ? ref.slice(7) : ref;
  return /^[a-f0-9]+$/.test(r) && hex.startsWith(r);
}

function conflict(imageId: string, message: string, hard: boolean): ConflictError {
  return new ConflictError(`conflict: unable to delete ${shortId(imageId)} (${hard ? 'cannot' : 'must'} be forced) - ${message}`);
}

type Mask = { children: boolean; running: boolean; references: boolean; stopped: boolean };

function checkConflict(ctx: ImageContext, image: StoredImage, mask: Mask): ConflictError | undefined {
  if (mask.children && ctx.repo.all().some((i) => i.parentId === image.id)) return conflict(image.id, 'image has dependent child images', true);
  const user = ctx.usage(image.id);
  if (mask.running && user?.running) return conflict(image.id, `image is being used by running container ${shortId(user.containerId)}`, true);
  if (mask.references && ctx.repo.refsOf(image.id).length > 0) return conflict(image.id, 'image is referenced in one or more repositories', false);
  if (mask.stopped && user && !user.running) return conflict(image.id, `image is being used by stopped container ${shortId(user.containerId)}`, false);
  return undefined;
}

export async function deleteImage(ctx: ImageContext, image: StoredImage, ref: string, force: boolean, prune: boolean): Promise<ImageDeleteItem[]> {
  const items: ImageDeleteItem[] = [];
  let refs = ctx.repo.refsOf(image.id).map((r) => r.ref);
  let quiet = false;
  if (!isIdPrefix(image.id, ref)) {
    if (!force && isSingleReference(refs)) {
      const user = ctx.usage(image.id);
      if (user) {
        throw new ConflictError(`conflict: unable to remove repository reference "${ref}" (must force) - container ${shortId(user.containerId)} is using its referenced image ${shortId(image.id)}`);
      }
    }
    const full = fullString(withDefaultTag(parseReference(ref)));
    items.push({ Untagged: removeRef(ctx, image.id, full) });
    refs = ctx.repo.refsOf(image.id).map((r) => r.ref);
    if (refs.length > 0) return items;
    quiet = true;
  } else if (isSingleReference(refs)) {
    const c = checkConflict(ctx, image, { children: true, running: true, references: false, stopped: !force });
    if (c) throw c;
    for (const r of refs) items.push({ Untagged: removeRef(ctx, image.id, r) });
  } else if (!force) {
    throw conflict(image.id, 'image is referenced in multiple repositories', false);
  }
  await deleteHelper(ctx, image, items, force, prune, quiet);
  return items;
}

async function deleteHelper(ctx: ImageContext, image: StoredImage, items: ImageDeleteItem[], force: boolean, prune: boolean, quiet: boolean): Promise<void> {
  const c = checkConflict(ctx, image, { children: true, running: true, references: !force, stopped: !force });
  if (c) {
    if (quiet) return; // an untag that leaves an image in use is not an error
    throw c;
  }
  for (const { ref } of ctx.repo.refsOf(image.id)) items.push({ Untagged: removeRef(ctx, image.id, ref) });
  await dropImage(ctx, image);
  ctx.events.publish('image', 'delete', image.id, { name: image.id });
  items.push({ Deleted: image.id });
  if (prune && image.parentId) {
    const parent = ctx.repo.byId(image.parentId);
    if (parent && ctx.repo.refsOf(parent.id).length === 0) await deleteHelper(ctx, parent, items, false, prune, true);
  }
}

/** Removes the record, releases its layers and deletes blobs no other image uses. Returns bytes of layers freed. */
export async function dropImage(ctx: ImageContext, image: StoredImage): Promise<number> {
  const chainIds = ctx.layers.chainIds(image.layers.map((l) => l.diffId));
  const sizes = new Map(chainIds.map((c) => [c, ctx.layers.get(c)?.size ?? 0]));
  ctx.repo.transaction(() => {
    for (const { ref } of ctx.repo.refsOf(image.id)) ctx.repo.deleteRef(ref);
    ctx.repo.delete(image.id);
  });
  if (chainIds.length && chainIds.every((c) => ctx.layers.has(c))) await ctx.layers.release(chainIds);
  const used = new Set<string>();
  for (const other of ctx.repo.all()) {
    used.add(other.id);
    if (other.manifestDigest) used.add(other.manifestDigest);
    for (const l of other.layers) used.add(l.digest);
  }
  for (const digest of [image.id, image.manifestDigest, ...image.layers.map((l) => l.digest)]) {
    if (digest && !used.has(digest)) await ctx.content.delete(digest);
  }
  let freed = 0;
  for (const [chain, size] of sizes) if (!ctx.layers.has(chain)) freed += size;
  return freed;
}
