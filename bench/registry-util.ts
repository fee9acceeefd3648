// Helpers of the registry benchmarks.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, listeningRegistry, type ReferenceRegistry } from '../test/helpers/reference-registry';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    fs.createReadStream(file).on('data', (c) => hash.update(c)).on('end', () => resolve(`sha256:${hash.digest('hex')}`)).on('error', reject);
  });
}

/** berth's registry (bin/berth-registry) on a free loopback port, storing under `dir`. */
export async function startBerthRegistry(dir: string): Promise<ReferenceRegistry> {
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'berth-registry'), 'serve', '--addr', `127.0.0.1:${port}`, '--root', path.join(dir, 'data'), '--log-level', 'warn'], { stdio: 'ignore' });
  return listeningRegistry(child, port, dir);
}
