// The build context as the docker CLI sends it: a tar of the context directory
// without what .dockerignore excludes (the Dockerfile and .dockerignore always go,
// the daemon needs them); a Dockerfile outside the context is added under a
// generated name.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import * as tar from 'tar-stream';
import { ignoreMatcher, readIgnoreFile, walkKept } from '../../build/context/dockerignore';
import { SECRETS_DIR_IN_CONTEXT } from '../../build/context/secrets';

const SMALL_FILE = 1 << 20;

export interface ContextTar { stream: Readable; dockerfile: string }

/** Secrets ride along as `.berth-secrets/<id>` entries (see build/context/secrets.ts). */
export interface ContextSecret { id: string; content: Buffer }

export function contextTar(dir: string, dockerfile: { path?: string; content?: Buffer }, secrets: ContextSecret[] = []): ContextTar {
  const root = path.resolve(dir);
  let dockerfileRel = 'Dockerfile';
  let extra: { name: string; content: Buffer } | undefined;
  if (dockerfile.content !== undefined) {
    extra = { name: `.dockerfile.${randomBytes(10).toString('hex')}`, content: dockerfile.content };
    dockerfileRel = extra.name;
  } else if (dockerfile.path !== undefined) {
    const abs = path.resolve(dockerfile.path);
    const rel = path.relative(root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      extra = { name: `.dockerfile.${randomBytes(10).toString('hex')}`, content: fs.readFileSync(abs) };
      dockerfileRel = extra.name;
    } else dockerfileRel = rel.split(path.sep).join('/');
  }
  const matcher = ignoreMatcher(readIgnoreFile(root, dockerfileRel));
  const always = new Set([dockerfileRel, '.dockerignore', `${dockerfileRel}.dockerignore`]);
  const pack = tar.pack();
  (async () => {
    const add = (header: Partial<tar.Header> & { name: string }, body?: Buffer | Readable) => new Promise<void>((resolve, reject) => {
      if (body instanceof Readable) {
        const entry = pack.entry(header as tar.Header, (err) => (err ? reject(err) : resolve()));
        body.on('error', reject);
        body.pipe(entry);
      } else pack.entry(header as tar.Header, body ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
    });
    const entries: Array<{ rel: string; st: fs.Stats }> = [];
    walkKept(root, matcher, (rel, st) => entries.push({ rel, st }));
    for (const name of always) {
      const st = fs.lstatSync(path.join(root, name), { throwIfNoEntry: false });
      if (st?.isFile() && !entries.some((e) => e.rel === name)) entries.push({ rel: name, st });
    }
    for (const { rel, st } of entries) {
      const abs = path.join(root, rel);
      const base = { name: rel, mode: st.mode & 0o7777, mtime: st.mtime, uid: 0, gid: 0 };
      if (st.isDirectory()) await add({ ...base, type: 'directory' });
      else if (st.isSymbolicLink()) await add({ ...base, type: 'symlink', linkname: fs.readlinkSync(abs) });
      else if (st.isFile()) {
        // Small files in one read (a stream per file costs more than the bytes); big ones streamed in large chunks.
        const body = st.size === 0 ? undefined : st.size <= SMALL_FILE ? fs.readFileSync(abs) : fs.createReadStream(abs, { highWaterMark: 1 << 20 });
        if (Buffer.isBuffer(body) && body.length !== st.size) throw new Error(`${rel}: file changed while the context was being sent`);
        await add({ ...base, type: 'file', size: st.size }, body);
      }
    }
    if (extra) await add({ name: extra.name, mode: 0o644, mtime: new Date(), type: 'file', size: extra.content.length }, extra.content);
    for (const s of secrets) {
      await add({ name: `${SECRETS_DIR_IN_CONTEXT}/${s.id}`, mode: 0o400, mtime: new Date(0), type: 'file', size: s.content.length }, s.content);
    }
    pack.finalize();
  })().catch((err: Error) => pack.destroy(err));
  // A small file is three small chunks (header, body, padding): sent in big batches, not thousands of writes.
  const batched = coalesce(1 << 16);
  pipeline(pack as unknown as Readable, batched, () => undefined);
  return { stream: batched, dockerfile: dockerfileRel };
}

/** Joins small chunks into ones of at least `size` bytes (the last may be shorter). */
function coalesce(size: number): Transform {
  let parts: Buffer[] = [];
  let length = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      parts.push(chunk);
      length += chunk.length;
      if (length < size) return cb();
      const out = parts.length === 1 ? parts[0] : Buffer.concat(parts, length);
      parts = []; length = 0;
      cb(null, out);
    },
    flush(cb) { cb(null, length ? Buffer.concat(parts, length) : undefined); },
  });
}
