// Tag and untag operations shared by tag, import, load and delete.
import { InvalidArgumentError } from '../errors';
import type { ImageContext } from './context';
import { familiarString, fullString, parseReference, withDefaultTag, type ImageReference } from './reference';

/** Parses a tag target: `repo[:tag]`, digests refused like Docker. */
export function parseTagTarget(repo: string, tag?: string): ImageReference {
  const ref = parseReference(tag ? `${repo}:${tag}` : repo);
  if (ref.digest) throw new InvalidArgumentError('refusing to create a tag with a digest reference');
  return withDefaultTag(ref);
}

/** Points the reference at the image (event "tag" unless told not to); returns the ID it moved away from, if any. */
export function setTag(ctx: ImageContext, imageId: string, ref: ImageReference, options: { event?: boolean } = {}): string | undefined {
  const previous = ctx.repo.setRef(fullString(ref), imageId, ref.digest ? 'digest' : 'tag');
  ctx.repo.touchTagTime(imageId, new Date().toISOString());
  if (options.event ?? true) ctx.events.publish('image', 'tag', imageId, { name: familiarString(ref) });
  return previous;
}

export function removeRef(ctx: ImageContext, imageId: string, fullRef: string): string {
  const shown = familiarString(parseReference(fullRef));
  ctx.repo.deleteRef(fullRef);
  ctx.events.publish('image', 'untag', imageId, { name: imageId });
  return shown;
}
