// Images a build reads (FROM, COPY --from, RUN --mount from=) come from the local
// store, or from a registry when missing — or always with --pull, as the legacy
// builder does. Each reference is pulled at most once per build, even when
// parallel stages ask for it together.
import { NotFoundError } from '../../errors';
import type { Image } from '../../image/types';
import type { Platform } from '../types';
import type { RunContext } from './run-context';

export async function resolveImage(rc: RunContext, ref: string, platform?: Platform): Promise<Image> {
  const local = rc.deps.images.find(ref);
  if (local && !rc.request.pull) return local;
  if (!rc.deps.pull) {
    if (local) return local;
    throw new NotFoundError(`No such image: ${ref}`);
  }
  let pulling = rc.pulls.get(ref);
  if (!pulling) {
    pulling = rc.deps.pull(ref, { platform, auths: rc.request.registryAuths, signal: rc.signal }, (m) => rc.progress(m));
    rc.pulls.set(ref, pulling);
  }
  await pulling;
  const img = rc.deps.images.find(ref);
  if (!img) throw new NotFoundError(`No such image: ${ref}`);
  return img;
}
