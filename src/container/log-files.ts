// A container's log as a set of files, json-file style: container.log is the one conmon
// writes, container.log.1 the previous one, up to container.log.<max-file - 1>.
// Rotation renames (never copies) and happens only inside berthd, synchronously, so a
// reader that opens the set synchronously always sees a consistent set.
import { closeSync, fstatSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Stable identity of a file while any descriptor holds it (inode numbers alone get reused). */
export type FileIdentity = string;

export interface OpenLogFile { fd: number; id: FileIdentity }

export function rotatedName(logPath: string, n: number): string {
  return n === 0 ? logPath : `${logPath}.${n}`;
}

function identityOf(st: { ino: number; dev: number; birthtimeMs: number }): FileIdentity {
  return `${st.dev}:${st.ino}:${st.birthtimeMs}`;
}

/** Numbers of the rotated files present, highest (oldest) first; gaps (a crash mid-rotation) allowed. */
function rotatedNumbers(logPath: string): number[] {
  const base = path.basename(logPath) + '.';
  let names: string[];
  try { names = readdirSync(path.dirname(logPath)); } catch { return []; }
  return names.filter((n) => n.startsWith(base) && /^[1-9][0-9]*$/.test(n.slice(base.length)))
    .map((n) => Number(n.slice(base.length))).sort((a, b) => b - a);
}

/** Names of the existing files, oldest first (container.log last). */
export function logFileNames(logPath: string): string[] {
  return [...rotatedNumbers(logPath).map((n) => rotatedName(logPath, n)), logPath];
}

function openIfExists(name: string): OpenLogFile | undefined {
  let fd: number;
  try { fd = openSync(name, 'r'); } catch { return undefined; }
  return { fd, id: identityOf(fstatSync(fd)) };
}

/** Opens every file of the set, oldest first (synchronously: no rotation can interleave). */
export function openLogFiles(logPath: string): OpenLogFile[] {
  const out: OpenLogFile[] = [];
  for (const name of logFileNames(logPath)) {
    const f = openIfExists(name);
    if (f) out.push(f);
  }
  return out;
}

/**
 * The files that follow `newest` (the newest one a follower holds), oldest first, opened;
 * `present` lists every file of the set now. When `newest` is still in the set, the
 * newer files are everything after it. When it is gone (the reader fell behind by more
 * than max-file rotations, or the file was replaced), they are the files not seen before.
 */
export function openNewerFiles(logPath: string, newest: FileIdentity, seen: Set<FileIdentity>): { added: OpenLogFile[]; present: FileIdentity[] } {
  const files = openLogFiles(logPath);
  const at = files.findIndex((f) => f.id === newest);
  const added = at >= 0 ? files.slice(at + 1) : files.filter((f) => !seen.has(f.id));
  for (const f of files) if (!added.includes(f)) closeSync(f.fd);
  return { added, present: files.map((f) => f.id) };
}

/** Identity of the file at a path, undefined when absent. */
export function identityAt(name: string): FileIdentity | undefined {
  try { return identityOf(statSync(name)); } catch { return undefined; }
}

/**
 * Shifts the set by one: drops what would exceed maxFiles, renames .n → .n+1 and
 * container.log → .1. conmon keeps writing to the renamed file until it reopens.
 */
export function shiftLogFiles(logPath: string, maxFiles: number): void {
  const rotated = maxFiles - 1;
  if (rotated < 1) { rmSync(logPath, { force: true }); return; } // one file: rotation is truncation
  for (const n of rotatedNumbers(logPath)) if (n >= rotated) rmSync(rotatedName(logPath, n), { force: true });
  for (let n = rotated - 1; n >= 1; n--) {
    try { renameSync(rotatedName(logPath, n), rotatedName(logPath, n + 1)); } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  renameSync(logPath, rotatedName(logPath, 1));
}

/** Deletes every rotated file (container.log itself stays). */
export function removeRotatedFiles(logPath: string): void {
  for (const n of rotatedNumbers(logPath)) rmSync(rotatedName(logPath, n), { force: true });
}

const beforeRotate = new Map<string, Set<() => void>>();

/**
 * Runs `fn` synchronously before each berthd rotation of `logPath` (readers open the
 * files they have not seen yet, so a slow follower never loses one to max-file).
 * Returns the unregister function.
 */
export function onBeforeRotate(logPath: string, fn: () => void): () => void {
  let set = beforeRotate.get(logPath);
  if (!set) beforeRotate.set(logPath, set = new Set());
  set.add(fn);
  return () => {
    set.delete(fn);
    if (set.size === 0 && beforeRotate.get(logPath) === set) beforeRotate.delete(logPath);
  };
}

export function notifyBeforeRotate(logPath: string): void {
  for (const fn of beforeRotate.get(logPath) ?? []) fn();
}
