// overlayfs mount/unmount through mount(2) (no `mount` binary). Lower dirs that
// share one parent (the layer store's l/ dir) are named relative to it and the
// mount runs with that parent as its working directory, which keeps the option
// string within the kernel's one-page limit for deep images.
import * as path from 'node:path';
import { InvalidArgumentError } from '../errors';
import * as native from '../native';
import { isMountPoint } from './mountinfo';

const PAGE = 4096;

/** overlayfs splits its options on ',' and lower dirs on ':'; both may be escaped. */
function escape(p: string): string {
  return p.replace(/[\\,:]/g, (c) => `\\${c}`);
}

export interface OverlayOptions {
  data: string;
  cwd?: string;
}

export function overlayOptions(lowers: string[], upper: string, work: string): OverlayOptions {
  if (lowers.length === 0) throw new Error('overlay needs at least one lower dir');
  const parent = path.dirname(lowers[0]);
  const shared = lowers.every((l) => path.dirname(l) === parent);
  const names = shared ? lowers.map((l) => path.basename(l)) : lowers;
  const data = `lowerdir=${names.map(escape).join(':')},upperdir=${escape(upper)},workdir=${escape(work)}`;
  if (data.length >= PAGE) {
    // Docker refuses images this deep the same way ("max depth exceeded").
    throw new InvalidArgumentError(`max depth exceeded: ${lowers.length} layers do not fit in one overlay mount`);
  }
  return shared ? { data, cwd: parent } : { data };
}

export function mountOverlay(target: string, options: OverlayOptions): void {
  native.mount('overlay', target, 'overlay', 0, options.data, options.cwd);
}

/** Unmounts every mount stacked on `target`; a busy mount is detached lazily. */
export function unmountAll(target: string): void {
  for (let i = 0; i < 64 && isMountPoint(target); i++) {
    try {
      native.umount2(target, 0);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EINVAL' || code === 'ENOENT') return; // not (or no longer) a mount point
      if (code !== 'EBUSY') throw err;
      native.umount2(target, native.MNT_DETACH);
    }
  }
}
