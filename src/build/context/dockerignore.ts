// .dockerignore with Docker's semantics (patterns, `!` exceptions, `**`), shared by
// the daemon (context filtering) and the CLI (what it puts in the context tar).
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from '@balena/dockerignore';

export interface IgnoreMatcher {
  ignores(rel: string): boolean;
  /** Some pattern re-includes paths (`!x`): an ignored directory must still be walked. */
  hasExceptions: boolean;
}

/** Patterns from `<dockerfile>.dockerignore` (next to the Dockerfile) or else `.dockerignore`. */
export function readIgnoreFile(contextDir: string, dockerfileRel: string): string | undefined {
  for (const rel of [`${dockerfileRel}.dockerignore`, '.dockerignore']) {
    try {
      return fs.readFileSync(path.join(contextDir, rel), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
    }
  }
  return undefined;
}

export function ignoreMatcher(text: string | undefined): IgnoreMatcher {
  const patterns = (text ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const ig = ignore().add(patterns);
  return {
    ignores: (rel) => patterns.length > 0 && ig.ignores(rel),
    hasExceptions: patterns.some((p) => p.startsWith('!')),
  };
}

/**
 * Walks `dir` and calls `visit` for every path kept (relative, "/"-separated),
 * parents before children; ignored directories are skipped whole unless an
 * exception pattern may bring something inside them back.
 */
export function walkKept(dir: string, matcher: IgnoreMatcher, visit: (rel: string, st: fs.Stats, ignoredDir: boolean) => void): void {
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(rel === '' ? dir : path.join(dir, rel)).sort()) {
      const child = rel === '' ? name : `${rel}/${name}`;
      const st = fs.lstatSync(path.join(dir, child));
      const ignored = matcher.ignores(child);
      if (st.isDirectory()) {
        if (ignored && !matcher.hasExceptions) continue;
        visit(child, st, ignored);
        walk(child);
      } else if (!ignored) {
        visit(child, st, false);
      }
    }
  };
  walk('');
}
