// A busybox image from the host's busybox-static, imported through the same code
// path as `docker import`, so a fresh install can run containers offline.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { errorMessage } from '../errors';
import { log } from '../util/logger';
import type { Image, ImageService } from './types';

const MTIME = new Date('2024-01-01T00:00:00Z');
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

/** Deterministic rootfs tar: fixed mtimes, sorted applets. */
export function buildBusyboxRootfsTar(busyboxPath = '/bin/busybox'): Readable {
  const binary = fs.readFileSync(busyboxPath);
  const applets = execFileSync(busyboxPath, ['--list'], { encoding: 'utf8' })
    .split('\n').map((s) => s.trim()).filter((s) => s && s !== 'busybox' && !s.includes('/')).sort();
  const pack = tar.pack();
  const dir = (name: string, mode = 0o755) => pack.entry({ name: `${name}/`, type: 'directory', mode, mtime: MTIME, uid: 0, gid: 0 });
  for (const d of ['bin', 'dev', 'etc', 'proc', 'sys']) dir(d);
  dir('root', 0o700);
  dir('tmp', 0o1777);
  pack.entry({ name: 'bin/busybox', mode: 0o755, mtime: MTIME, uid: 0, gid: 0 }, binary);
  for (const applet of applets) pack.entry({ name: `bin/${applet}`, type: 'symlink', linkname: 'busybox', mode: 0o777, mtime: MTIME, uid: 0, gid: 0 });
  pack.entry({ name: 'etc/group', mode: 0o644, mtime: MTIME, uid: 0, gid: 0 }, GROUP);
  pack.entry({ name: 'etc/passwd', mode: 0o644, mtime: MTIME, uid: 0, gid: 0 }, PASSWD);
  pack.finalize();
  const out = new PassThrough();
  pack.pipe(out);
  return out;
}

/** Imports busybox:latest unless it exists. */
export async function seedBusybox(images: ImageService, busyboxPath = '/bin/busybox'): Promise<Image | undefined> {
  if (images.find('busybox:latest')) return undefined;
  if (!fs.existsSync(busyboxPath)) {
    log.warn('busybox-static not found: no busybox image seeded', { path: busyboxPath });
    return undefined;
  }
  try {
    const image = await images.importTar(buildBusyboxRootfsTar(busyboxPath), {
      reference: 'busybox:latest',
      changes: ['CMD ["sh"]'],
      message: 'Seeded from the host busybox-static',
      created: MTIME.toISOString(),
    });
    log.info('seeded busybox:latest', { id: image.id });
    return image;
  } catch (err) {
    log.error('seeding busybox failed', { error: errorMessage(err) });
    throw err;
  }
}
