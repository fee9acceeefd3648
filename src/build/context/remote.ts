// POST /build?remote=URL: the daemon fetches the context itself, as dockerd does.
//  - git URLs (git://, git@, github.com/, http(s) ending in .git, with an optional
//    "#ref:subdir" fragment) are fetched with the git binary (depth 1) and turned
//    into a tar with `git archive`;
//  - other http(s) URLs are downloaded: a text/plain body is the Dockerfile of an
//    otherwise empty context, anything else is a context tar (plain or compressed).
// Either way a tar stream comes back, so the usual safe, streamed extraction applies
// and the download is never held in memory.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import { END_OF_ARCHIVE, encodeHeader, padding } from '../../archive/tar-writer';
import { InvalidArgumentError, NotImplementedError } from '../../errors';

const MAX_REDIRECTS = 10;
/** A Dockerfile sent as text is read whole; anything larger is refused. */
const MAX_DOCKERFILE_BYTES = 16 << 20;

export interface RemoteContext {
  /** The context as a tar stream. */
  tar: Readable;
  /** Set when the remote was a Dockerfile: its name inside the generated context. */
  dockerfile?: string;
}

export function isGitUrl(url: string): boolean {
  if (/^(git:\/\/|git@|github\.com\/)/.test(url)) return true;
  return /^https?:\/\//.test(url) && /\.git(#.*)?$/.test(url);
}

/** Opens `url` as a build context; `scratch` is a directory the caller removes afterwards. */
export async function openRemoteContext(url: string, dockerfile: string | undefined, scratch: string, signal: AbortSignal): Promise<RemoteContext> {
  if (isGitUrl(url)) return { tar: await gitContext(url, scratch, signal) };
  if (!/^https?:\/\//.test(url)) throw new InvalidArgumentError(`unable to prepare context: unsupported remote context "${url}": expected an http(s) or git URL`);
  const res = await download(url, signal);
  const { head, rest } = await preamble(res, 512);
  if (isDockerfileText(res.headers['content-type'], head)) {
    const text = await readLimited(head, rest, MAX_DOCKERFILE_BYTES, url);
    const name = dockerfile || 'Dockerfile';
    return { tar: Readable.from([singleFileTar(name, text)]), dockerfile: name };
  }
  return { tar: Readable.from(chain(head, rest)) };
}

// ---- http ----

function download(url: string, signal: AbortSignal, redirects = 0): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const req = get(url, { signal, headers: { 'User-Agent': 'berth' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) { reject(new InvalidArgumentError(`unable to prepare context: ${url}: stopped after ${MAX_REDIRECTS} redirects`)); return; }
        const next = new URL(res.headers.location, url).toString();
        download(next, signal, redirects + 1).then(resolve, reject);
        return;
      }
      if (status >= 400) {
        res.resume();
        reject(new InvalidArgumentError(`unable to prepare context: failed to GET ${url} with status ${status} ${res.statusMessage ?? ''}`.trimEnd()));
        return;
      }
      resolve(res);
    });
    req.on('error', (err) => reject(new InvalidArgumentError(`unable to prepare context: error downloading remote context ${url}: ${err.message}`)));
  });
}

/** Reads at least `min` bytes (or all there is) without losing the rest of the stream. */
async function preamble(res: Readable, min: number): Promise<{ head: Buffer; rest: AsyncIterator<Buffer> }> {
  const it = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < min) {
    const next = await it.next();
    if (next.done) break;
    chunks.push(next.value);
    size += next.value.length;
  }
  return { head: Buffer.concat(chunks), rest: it };
}

async function* chain(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length) yield head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

async function readLimited(head: Buffer, rest: AsyncIterator<Buffer>, limit: number, url: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of chain(head, rest)) {
    size += c.length;
    if (size > limit) throw new InvalidArgumentError(`unable to prepare context: the Dockerfile at ${url} is larger than ${limit} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/** dockerd's rule: text/plain is a Dockerfile; with no type the first bytes decide. */
function isDockerfileText(contentType: string | undefined, head: Buffer): boolean {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (media === 'text/plain') return true;
  if (media !== '' && media !== 'application/octet-stream') return false;
  if (looksLikeArchive(head)) return false;
  return media === '' && !head.includes(0);
}

function looksLikeArchive(b: Buffer): boolean {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return true; // gzip
  if (b.length >= 3 && b.toString('latin1', 0, 3) === 'BZh') return true;
  if (b.length >= 6 && b.toString('latin1', 1, 6) === '7zXZ\0') return true; // xz
  if (b.length >= 4 && b.readUInt32LE(0) === 0xfd2fb528) return true; // zstd
  return b.length >= 262 && b.toString('latin1', 257, 262) === 'ustar';
}

function singleFileTar(name: string, content: Buffer): Buffer {
  const header = encodeHeader({
    name, linkname: '', type: 'file', mode: 0o644, uid: 0, gid: 0, uname: '', gname: '',
    size: content.length, mtime: Math.floor(Date.now() / 1000), devmajor: 0, devminor: 0, xattrs: new Map(),
  });
  return Buffer.concat([header, content, padding(content.length), END_OF_ARCHIVE]);
}

// ---- git ----

let gitChecked: boolean | undefined;
function gitAvailable(): boolean {
  if (gitChecked === undefined) gitChecked = spawnSync('git', ['--version'], { stdio: 'ignore' }).status === 0;
  return gitChecked;
}

/** Splits "URL#ref:subdir"; github.com/... is fetched over https as dockerd does. */
export function parseGitUrl(raw: string): { repo: string; ref: string; subdir: string } {
  const hash = raw.indexOf('#');
  let repo = hash >= 0 ? raw.slice(0, hash) : raw;
  const fragment = hash >= 0 ? raw.slice(hash + 1) : '';
  if (repo.startsWith('github.com/')) repo = `https://${repo}`;
  const colon = fragment.indexOf(':');
  const ref = (colon >= 0 ? fragment.slice(0, colon) : fragment) || 'HEAD';
  const subdir = (colon >= 0 ? fragment.slice(colon + 1) : '').replace(/^\/+|\/+$/g, '');
  if (ref.startsWith('-')) throw new InvalidArgumentError(`invalid git reference "${ref}"`);
  if (subdir.split('/').includes('..')) throw new InvalidArgumentError(`invalid git subdirectory "${subdir}": must stay inside the repository`);
  return { repo, ref, subdir };
}

async function gitContext(url: string, scratch: string, signal: AbortSignal): Promise<Readable> {
  if (!gitAvailable()) throw new NotImplementedError('git build contexts need the git binary on the daemon host, which is not installed');
  const { repo, ref, subdir } = parseGitUrl(url);
  fs.mkdirSync(scratch, { recursive: true, mode: 0o700 });
  await git(['init', '--quiet'], scratch, signal);
  await git(['remote', 'add', 'origin', '--', repo], scratch, signal);
  try {
    await git(['fetch', '--quiet', '--depth', '1', 'origin', '--', ref], scratch, signal);
  } catch (err) {
    // The dumb http transport cannot do shallow fetches: fetch the whole history then.
    if (!/shallow|dumb/i.test((err as Error).message)) throw err;
    await git(['fetch', '--quiet', 'origin', '--', ref], scratch, signal);
  }
  const treeish = subdir ? `FETCH_HEAD:${subdir}` : 'FETCH_HEAD';
  await git(['cat-file', '-e', treeish], scratch, signal)
    .catch(() => { throw new InvalidArgumentError(`unable to prepare context: path "${subdir}" not found in ${repo} at ${ref}`); });
  const child = spawn('git', ['archive', '--format=tar', treeish], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'], signal, env: gitEnv() });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code));
  });
  // The tar only ends once git has exited cleanly, so a failed archive never yields a partial context.
  async function* archive(): AsyncGenerator<Buffer> {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const code = await exited;
    if (code !== 0) throw new InvalidArgumentError(`unable to prepare context: git archive failed: ${stderr.trim() || `exit status ${code}`}`);
  }
  return Readable.from(archive());
}

function gitEnv(): NodeJS.ProcessEnv {
  // Never wait for a password prompt on the daemon.
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '/bin/true', GIT_SSH_COMMAND: 'ssh -o BatchMode=yes' };
}

function git(args: string[], cwd: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], signal, env: gitEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (err) => reject(new InvalidArgumentError(`git ${args[0]}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new InvalidArgumentError(`unable to prepare context: git ${args[0]} failed: ${stderr.trim() || `exit status ${code}`}`));
    });
  });
}
