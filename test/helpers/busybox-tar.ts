// Builds a minimal busybox root filesystem as a tar file (for `docker import` tests):
// the host's static busybox, one symlink per applet, passwd/group, and the empty dirs
// a container runtime mounts over.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';

export const HOST_BUSYBOX = '/bin/busybox';

export interface BusyboxTarOptions {
  /** Extra regular files to add, path (no leading "/") → content. */
  extraFiles?: Record<string, string>;
  /** mtime for every entry; fixed by default so the same inputs give the same tar. */
  mtime?: Date;
}

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

export function busyboxApplets(): string[] {
  const out = execFileSync(HOST_BUSYBOX, ['--list'], { encoding: 'utf8' });
  return out.split('\n').map((s) => s.trim()).filter((s) => s && s !== 'busybox' && !s.includes('/'));
}

/** Writes the rootfs tar to `file` and returns the number of entries written. */
export async function writeBusyboxTar(file: string, options: BusyboxTarOptions = {}): Promise<number> {
  const mtime = options.mtime ?? new Date('2024-01-01T00:00:00Z');
  const pack = tar.pack();
  let entries = 0;
  const add = (header: Partial<tar.Header> & { name: string }, body: Buffer | string = ''): Promise<void> =>
    new Promise((resolve, reject) => {
      entries++;
      pack.entry({ uid: 0, gid: 0, mtime, ...header }, body, (err) => (err ? reject(err) : resolve()));
    });

  const written = pipeline(pack, fs.createWriteStream(file, { mode: 0o644 }));
  try {
    for (const dir of ['bin', 'etc', 'dev', 'proc', 'sys']) await add({ name: `${dir}/`, type: 'directory', mode: 0o755 });
    await add({ name: 'tmp/', type: 'directory', mode: 0o1777 });
    await add({ name: 'root/', type: 'directory', mode: 0o700 });
    await add({ name: 'bin/busybox', type: 'file', mode: 0o755 }, fs.readFileSync(HOST_BUSYBOX));
    for (const applet of busyboxApplets()) await add({ name: `bin/${applet}`, type: 'symlink', linkname: 'busybox', mode: 0o777 });
    await add({ name: 'etc/passwd', type: 'file', mode: 0o644 }, PASSWD);
    await add({ name: 'etc/group', type: 'file', mode: 0o644 }, GROUP);
    for (const [name, content] of Object.entries(options.extraFiles ?? {})) {
      await add({ name: name.replace(/^\/+/, ''), type: 'file', mode: 0o644 }, content);
    }
    pack.finalize();
    await written;
  } catch (err) {
    pack.destroy(err as Error);
    await written.catch(() => undefined);
    fs.rmSync(file, { force: true });
    throw err;
  }
  return entries;
}
