// runc creates the mount points a RUN --mount needs (an empty file or directory,
// and missing parents) in the step's upper dir. They are not the step's work:
// like the runtime's own stubs, they stay out of the layer while still empty.
import * as fs from 'node:fs';
import * as path from 'node:path';

function inLowers(lowers: string[], rel: string): boolean {
  return lowers.some((l) => fs.lstatSync(path.join(l, rel), { throwIfNoEntry: false }) !== undefined);
}

/** Container paths ("/run/secrets/x", "/run/secrets", "/run") to leave out of the layer. */
export function mountStubPaths(upper: string, lowers: string[], targets: string[]): Set<string> {
  const out = new Set<string>();
  for (const target of targets) {
    for (let p = path.posix.normalize(target); p !== '/' && p !== '.'; p = path.posix.dirname(p)) {
      const abs = path.join(upper, p);
      const st = fs.lstatSync(abs, { throwIfNoEntry: false });
      if (!st || inLowers(lowers, p)) break;
      const empty = st.isFile() ? st.size === 0 : st.isDirectory() && fs.readdirSync(abs).every((c) => out.has(path.posix.join(p, c)));
      if (!empty) break;
      out.add(p);
    }
  }
  return out;
}
