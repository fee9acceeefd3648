// Helpers of the registry benchmarks.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    fs.createReadStream(file).on('data', (c) => hash.update(c)).on('end', () => resolve(`sha256:${hash.digest('hex')}`)).on('error', reject);
  });
}
