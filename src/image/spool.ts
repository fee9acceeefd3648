// Writes an archive's regular files into a scratch dir (entries of `docker save`
// and OCI layouts arrive in any order) and remembers its symlinks, which legacy
// `docker save` uses for repeated layers. Nothing is followed outside the dir.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { cleanEntryName, maybeDecompress } from '../archive';
import { InvalidArgumentError, errorMessage } from '../errors';

export interface Spool {
  dir: string;
  /** Absolute path of an archive member (after symlinks), or undefined. */
  resolve(name: string): string | undefined;
}

export function spoolArchive(source: Readable, dir: string): Promise<Spool> {
  const links = new Map<string, string>();
  return new Promise<Spool>((resolve, reject) => {
    const extract = tar.extract();
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      extract.destroy();
      reject(err instanceof InvalidArgumentError ? err : new InvalidArgumentError(`invalid tar archive: ${errorMessage(err)}`));
    };
    extract.on('entry', (header, stream, next) => {
      stream.on('error', fail); // a truncated archive fails inside an entry
      try {
        const rel = cleanEntryName(header.name);
        if (header.type === 'symlink' || header.type === 'link') {
          const target = header.type === 'symlink'
            ? path.posix.normalize(path.posix.join(path.posix.dirname(rel), header.linkname ?? ''))
            : cleanEntryName(header.linkname ?? '');
          links.set(rel, target);
        } else if (header.type === 'file' && rel) {
          const file = path.join(dir, rel);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          const out = fs.createWriteStream(file, { flags: 'wx' });
          stream.pipe(out);
          out.on('finish', () => next());
          out.on('error', fail);
          return;
        }
        stream.on('end', () => next());
        stream.resume();
      } catch (err) {
        stream.resume();
        fail(err);
      }
    });
    extract.on('finish', () => {
      if (failed) return;
      resolve({
        dir,
        resolve(name: string): string | undefined {
          let rel = path.posix.normalize(name.replace(/^\.?\/+/, ''));
          for (let hops = 0; hops < 16; hops++) {
            if (rel.startsWith('..')) return undefined;
            const link = links.get(rel);
            if (link === undefined) break;
            rel = link;
          }
          const file = path.join(dir, rel);
          return fs.existsSync(file) && fs.lstatSync(file).isFile() ? file : undefined;
        },
      });
    });
    extract.on('error', fail);
    const plain = maybeDecompress(source);
    plain.on('error', fail);
    plain.pipe(extract);
  });
}
