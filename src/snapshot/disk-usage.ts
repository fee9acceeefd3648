// du-like size of a tree: symlinks not followed, hard-linked inodes counted once.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

export async function diskUsage(root: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try { entries = await fsp.readdir(dir, { withFileTypes: true }); } catch { return; }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let st: import('node:fs').Stats;
      try { st = await fsp.lstat(full); } catch { continue; }
      if (entry.isDirectory()) { await walk(full); continue; }
      const key = `${st.dev}:${st.ino}`;
      if (st.nlink > 1) { if (seen.has(key)) continue; seen.add(key); }
      if (st.isFile() || st.isSymbolicLink()) total += st.size;
    }
  };
  await walk(root);
  return total;
}
