// Image removal with Docker's untag/delete rules and conflict texts (moby's
// daemon/images/image_delete.go): hard conflicts (child images, running
// containers) cannot be forced; soft ones (references, stopped containers) can.
import { ConflictError } from '../errors';
import { shortId } from '../util/ids';
import type { ImageContext } from './context';
import { fullString, parseReference, withDefaultTag } from './reference';
import type { StoredImage } from './repository';
import { removeRef } from './tagging';
import type { ImageDeleteItem } from './types';

interface RepoRef { ref: string; name: string; canonical: boolean }

function refsOf(ctx: ImageContext, imageId: string): RepoRef[] {
  return ctx.repo.refsOf(imageId).map(({ ref, kind }) => {
    const parsed = parseReference(ref);
    return { ref, name: `${parsed.domain}/${parsed.path}`, canonical: kind === 'digest' };
  });
}

/** At most one tag, and every digest reference in that tag's repository. False for none. */
function isSingleReference(refs: RepoRef[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  const tags = refs.filter((r) => !r.canonical);
  if (tags.length > 1) return false;
  const canonicalNames = new Set(refs.filter((r) => r.canonical).map((r) => r.name));
  const single = tags[0] ?? refs[0];
  return canonicalNames.size === 1 && canonicalNames.has(single.name);
}

function isIdPrefix(imageId: string, ref: string): boolean {
  return imageId.startsWith(ref) || imageId.slice(7).startsWith(ref);
}

class DeleteConflict extends ConflictError {
  constructor(imageId: string, message: string, readonly hard: boolean, readonly used: boolean) {
    super(`conflict: unable to delete ${shortId(imageId)} (${hard ? 'cannot' : 'must'} be forced) - ${message}`);
  }
}

type Mask = { children: boolean; running: boolean; references: boolean; stopped: boolean };
const HARD: Mask = { children: true, running: true, references: false, stopped: false };
const ALL: Mask = { children: true, running: true, references: true, stopped: true };

function hasChildren(ctx: ImageContext, imageId: string): boolean {
  return ctx.repo.all().some((i) => i.parentId === imageId);
}

function checkConflict(ctx: ImageContext, imageId: string, mask: Mask): DeleteConflict | undefined {
  if (mask.children && hasChildren(ctx, imageId)) return new DeleteConflict(imageId, 'image has dependent child images', true, false);
  const user = ctx.usage(imageId);
  if (mask.running && user?.running) return new DeleteConflict(imageId, `image is being used by running container ${shortId(user.containerId)}`, true, true);
  if (mask.references && ctx.repo.refsOf(imageId).length > 0) return new DeleteConflict(imageId, 'image is referenced in multiple repositories', false, false);
  if (mask.stopped && user && !user.running) return new DeleteConflict(imageId, `image is being used by stopped container ${shortId(user.containerId)}`, false, true);
  return undefined;
}

/** Bytes of unpacked layers freed, summed over deletions (for prune's SpaceReclaimed). */
export interface DeleteStats { freed: number }

export async function deleteImage(ctx: ImageContext, image: StoredImage, ref: string, force: boolean, prune: boolean, stats: DeleteStats = { freed: 0 }): Promise<ImageDeleteItem[]> {
  const items: ImageDeleteItem[] = [];
  let refs = refsOf(ctx, image.id);
  let quiet = false;
  if (!isIdPrefix(image.id, ref)) {
    // Untag first; refuse when that would leave a container's image dangling.
    if (!force && isSingleReference(refs)) {
      const user = ctx.usage(image.id);
      if (user) {
        throw new ConflictError(`conflict: unable to remove repository reference "${ref}" (must force) - container ${shortId(user.containerId)} is using its referenced image ${shortId(image.id)}`);
      }
    }
    const parsed = withDefaultTag(parseReference(ref));
    items.push({ Untagged: removeRef(ctx, image.id, fullString(parsed)) });
    refs = refsOf(ctx, image.id);
    const name = `${parsed.domain}/${parsed.path}`;
    // The last tag of a repository takes that repository's digest references with it.
    if (!parsed.digest && !refs.some((r) => !r.canonical && r.name === name)) {
      for (const r of refs.filter((x) => x.canonical && x.name === name)) items.push({ Untagged: removeRef(ctx, image.id, r.ref) });
      refs = refs.filter((x) => !(x.canonical && x.name === name));
    }
    if (refs.length > 0) return items;
    quiet = true;
  } else if (isSingleReference(refs)) {
    const c = checkConflict(ctx, image.id, force ? HARD : { ...ALL, references: false });
    if (c) throw c;
    for (const r of refs) items.push({ Untagged: removeRef(ctx, image.id, r.ref) });
  }
  await deleteHelper(ctx, image, items, { force, prune, quiet, stats });
  return items;
}

interface HelperOptions { force: boolean; prune: boolean; quiet: boolean; stats: DeleteStats }

async function deleteHelper(ctx: ImageContext, image: StoredImage, items: ImageDeleteItem[], opts: HelperOptions): Promise<void> {
  const { force, quiet } = opts;
  const c = checkConflict(ctx, image.id, force ? HARD : ALL);
  if (c) {
    // Quietly keep an image still in use or referenced; a dangling unused one is worth an error.
    const dangling = ctx.repo.refsOf(image.id).length === 0 && !hasChildren(ctx, image.id);
    if (quiet && (!dangling || c.used)) return;
    throw c;
  }
  for (const { ref } of ctx.repo.refsOf(image.id)) items.push({ Untagged: removeRef(ctx, image.id, ref) });
  const { removedLayers, freed } = await dropImage(ctx, image);
  opts.stats.freed += freed;
  ctx.events.publish('image', 'delete', image.id, { name: image.id });
  items.push({ Deleted: image.id });
  for (const chainId of removedLayers) items.push({ Deleted: chainId });
  if (opts.prune && image.parentId) {
    const parent = ctx.repo.byId(image.parentId);
    if (parent) await deleteHelper(ctx, parent, items, { ...opts, force: false, quiet: true });
  }
}

/**
 * Removes the record, releases its layers and deletes blobs no other image uses.
 * Returns the chain IDs whose layers went away (top first) and their unpacked bytes.
 */
export async function dropImage(ctx: ImageContext, image: StoredImage): Promise<{ removedLayers: string[]; freed: number }> {
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
  const removedLayers = chainIds.filter((c) => !ctx.layers.has(c)).reverse();
  return { removedLayers, freed: removedLayers.reduce((n, c) => n + (sizes.get(c) ?? 0), 0) };
}
