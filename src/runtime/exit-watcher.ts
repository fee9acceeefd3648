// Watches conmon's exit dir (one file per container, written by rename when the
// container exits) and reads exit records. Nothing is kept in memory that a new
// daemon could not rebuild from the files.
import { watch, readFileSync, statSync, existsSync, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import type { RuntimeExit } from './types';
import { nanoTimeToRfc3339 } from './time';

export class ExitWatcher {
  private watcher: FSWatcher | undefined;
  private readonly listeners: Array<(id: string, exit: RuntimeExit) => void> = [];
  // Last exit file seen per ID (inode + mtime), so repeated inotify events fire once.
  private readonly seen = new Map<string, string>();

  constructor(private readonly exitDir: string, private readonly persistRoot: string) {}

  start(): void {
    // Persistent: pending waits on exits must keep the process alive until close().
    this.watcher = watch(this.exitDir, (_event, filename) => {
      if (typeof filename === 'string' && filename !== '' && !filename.startsWith('.')) this.check(filename);
    });
    this.watcher.on('error', () => { /* directory removed under us: nothing more to watch */ });
  }

  onExit(listener: (id: string, exit: RuntimeExit) => void): void {
    this.listeners.push(listener);
  }

  private check(id: string): void {
    const file = path.join(this.exitDir, id);
    let stamp: string;
    try {
      const st = statSync(file, { bigint: true });
      stamp = `${st.ino}:${st.mtimeNs}`;
    } catch { this.seen.delete(id); return; }
    if (this.seen.get(id) === stamp) return;
    const exit = this.read(id);
    if (!exit) return;
    this.seen.set(id, stamp);
    for (const l of this.listeners) {
      try { l(id, exit); } catch { /* a listener's failure must not stop the others */ }
    }
  }

  read(id: string): RuntimeExit | undefined {
    for (const file of [path.join(this.exitDir, id), path.join(this.persistRoot, id, 'exit')]) {
      let text: string;
      let mtimeNs: bigint;
      try {
        text = readFileSync(file, 'utf8').trim();
        mtimeNs = statSync(file, { bigint: true }).mtimeNs;
      } catch { continue; }
      if (!/^-?\d+$/.test(text)) continue;
      return {
        exitCode: Number(text),
        finishedAt: nanoTimeToRfc3339(mtimeNs),
        oomKilled: existsSync(path.join(this.persistRoot, id, 'oom')),
      };
    }
    return undefined;
  }

  forget(id: string): void {
    this.seen.delete(id);
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
