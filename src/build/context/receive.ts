// The build context on the daemon side: the request body (a tar, plain or gzip)
// is streamed into a fresh directory with the archive package's safe extraction
// (no entry can land outside it), then the Dockerfile is read and the paths
// .dockerignore excludes are removed, so COPY/ADD can never see them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import { extractLayer, maybeDecompress, type ExtractOptions, type FileDigest } from '../../archive';
import { InvalidArgumentError } from '../../errors';
import { ignoreMatcher, readIgnoreFile, type IgnoreMatcher } from './dockerignore';
import { takeSecrets } from './secrets';

export interface BuildContext {
  dir: string;
  dockerfileName: string; // as given (for messages)
  dockerfileText: string;
  /** Content digests taken while the files streamed in (see Checksums). */
  fileDigests: Map<string, FileDigest>;
}

/** Normalises a context-relative path; undefined when it leaves the context. */
export function contextRel(p: string): string | undefined {
  const parts: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

export async function receiveContext(body: Readable, dir: string, dockerfile: string, secrets?: { ids: string[]; dir: string }, reuse?: ExtractOptions['reuse']): Promise<BuildContext> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // pipeline: a broken body or a bad gzip stream fails the extraction instead of stalling it.
  const fileDigests = new Map<string, FileDigest>();
  await extractLayer(pipeline(maybeDecompress(body), completeTar(), () => undefined), dir, { whiteouts: 'keep', fileDigests, diffId: false, reuse });
  if (secrets) takeSecrets(dir, secrets.ids, secrets.dir);
  const name = dockerfile || 'Dockerfile';
  const rel = contextRel(name);
  if (rel === undefined || rel === '') throw new InvalidArgumentError(`Cannot locate specified Dockerfile: ${name}`);
  let text: string;
  try {
    const abs = path.join(dir, rel);
    // The Dockerfile itself must not be a link out of the context.
    if (fs.lstatSync(abs).isSymbolicLink()) throw new InvalidArgumentError(`Cannot locate specified Dockerfile: ${name}`);
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    throw new InvalidArgumentError(`Cannot locate specified Dockerfile: ${name}`);
  }
  const ignoreText = readIgnoreFile(dir, rel);
  if (ignoreText !== undefined) {
    const matcher = ignoreMatcher(ignoreText);
    // Docker: the Dockerfile and .dockerignore are sent but COPY never sees them when excluded.
    pruneIgnored(dir, '', matcher);
  }
  return { dir, dockerfileName: name, dockerfileText: text, fileDigests };
}

function pruneIgnored(root: string, rel: string, matcher: IgnoreMatcher): void {
  const abs = rel === '' ? root : path.join(root, rel);
  for (const name of fs.readdirSync(abs)) {
    const child = rel === '' ? name : `${rel}/${name}`;
    const childAbs = path.join(root, child);
    const st = fs.lstatSync(childAbs);
    const ignored = matcher.ignores(child);
    if (st.isDirectory()) {
      if (ignored && !matcher.hasExceptions) {
        fs.rmSync(childAbs, { recursive: true, force: true });
        continue;
      }
      pruneIgnored(root, child, matcher);
      if (ignored && fs.readdirSync(childAbs).length === 0) fs.rmdirSync(childAbs);
    } else if (ignored) {
      fs.unlinkSync(childAbs);
    }
  }
}

/**
 * The docker CLI ends a context whose .dockerignore it rewrote (`-f -`) right
 * after the last file's bytes, without padding or end-of-archive blocks; dockerd
 * accepts that, so the stream is completed here before the strict reader sees it.
 */
function completeTar(): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) { size += chunk.length; cb(null, chunk); },
    flush(cb) { cb(null, Buffer.alloc((512 - (size % 512)) % 512 + 1024)); },
  });
}
