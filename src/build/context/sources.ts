// COPY/ADD sources: patterns resolved inside a root (the context, or another
// stage's filesystem), wildcards expanded, and content checksums for the cache
// (paths, types, modes, link targets and file bytes — never times, so touching a
// file keeps the cache).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileDigest } from '../../archive';
import { InvalidArgumentError, NotFoundError } from '../../errors';
import { scopedPath } from '../fs/scoped-path';
import { contextRel } from './receive';

export interface Source {
  pattern: string; // as written
  host: string; // resolved host path
  inner: string; // path inside the root ("/a/b")
  stat: fs.Stats; // of the resolved path (links followed)
}

const WILDCARD = /[*?[]/;

function globSegment(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 1);
      if (end < 0) { re += '\\['; continue; }
      let body = seg.slice(i + 1, end);
      if (body.startsWith('^') || body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < seg.length) re += seg[++i].replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Resolves sources; `what` names the place in messages. A pattern leaving the
 * context is refused, a missing plain path is NotFound, a wildcard matching
 * nothing is an error too.
 */
export function resolveSources(root: string, patterns: string[], inContext: boolean): Source[] {
  const out: Source[] = [];
  for (const pattern of patterns) {
    const rel = contextRel(pattern.replace(/^\/+/, ''));
    if (rel === undefined) {
      if (inContext) throw new InvalidArgumentError(`Forbidden path outside the build context: ${pattern} ()`);
    }
    const clean = rel ?? '';
    if (!WILDCARD.test(clean)) {
      const r = scopedPath(root, clean);
      const st = fs.statSync(r.host, { throwIfNoEntry: false });
      if (!st) {
        throw new NotFoundError(inContext
          ? `COPY failed: file not found in build context or excluded by .dockerignore: stat ${clean || '.'}: file does not exist`
          : `COPY failed: stat ${r.inner}: file does not exist`);
      }
      out.push({ pattern, host: r.host, inner: r.inner, stat: st });
      continue;
    }
    const matches = expandGlob(root, clean.split('/'));
    if (matches.length === 0) throw new NotFoundError('COPY failed: no source files were specified');
    for (const m of matches) {
      const r = scopedPath(root, m);
      const st = fs.statSync(r.host, { throwIfNoEntry: false });
      if (st) out.push({ pattern, host: r.host, inner: r.inner, stat: st });
    }
  }
  return out;
}

function expandGlob(root: string, segments: string[]): string[] {
  let current = [''];
  for (const seg of segments) {
    const next: string[] = [];
    for (const base of current) {
      if (!WILDCARD.test(seg)) { next.push(base ? `${base}/${seg}` : seg); continue; }
      const dir = scopedPath(root, base).host;
      let names: string[];
      try { names = fs.readdirSync(dir).sort(); } catch { continue; }
      const re = globSegment(seg);
      for (const n of names) if (re.test(n)) next.push(base ? `${base}/${n}` : n);
    }
    current = next;
  }
  return current.filter((p) => fs.existsSync(scopedPath(root, p).host));
}

/** Content checksums, memoised per build (the context does not change during it). */
export class Checksums {
  private readonly memo = new Map<string, string>();

  /** `streamed`: digests taken while the context arrived; files are not read again. */
  constructor(private readonly streamed: ReadonlyMap<string, FileDigest> = new Map()) {}

  async of(host: string): Promise<string> {
    const known = this.memo.get(host);
    if (known) return known;
    const h = createHash('sha256');
    await this.feed(h, host, '');
    const sum = h.digest('hex');
    this.memo.set(host, sum);
    return sum;
  }

  private async feed(h: ReturnType<typeof createHash>, host: string, rel: string): Promise<void> {
    const st = fs.lstatSync(host);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isDirectory()) {
      h.update(`d ${rel} ${mode}\0`);
      for (const name of fs.readdirSync(host).sort()) await this.feed(h, path.join(host, name), `${rel}/${name}`);
    } else if (st.isSymbolicLink()) {
      h.update(`l ${rel} ${fs.readlinkSync(host)}\0`);
    } else if (st.isFile()) {
      h.update(`f ${rel} ${mode} ${st.size}\0`);
      const known = this.streamed.get(host);
      // The context is private to this build and never written after extraction; the size check is a cheap guard.
      h.update(known && known.size === st.size ? known.sha256 : await fileDigest(host, st.size));
    } else {
      h.update(`o ${rel} ${mode}\0`);
    }
  }
}

async function fileDigest(file: string, size: number): Promise<string> {
  const h = createHash('sha256');
  if (size < 1 << 20) {
    h.update(fs.readFileSync(file));
    return h.digest('hex');
  }
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}
