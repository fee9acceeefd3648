// Builder benchmark: one two-stage Dockerfile (busybox base, ~2,000 small files
// plus a 50 MB file, ~12 steps) built cold (--no-cache), fully cached, and after
// changing one late-copied file, through a given CLI against a given daemon.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { timeOnce, type TimedCommand } from './timing';
import type { Cli } from './engine-suite';

const DOCKERFILE = `FROM busybox AS deps
WORKDIR /work
COPY big.bin /work/big.bin
RUN sha256sum big.bin > big.sum
FROM busybox
ENV APP=/app
WORKDIR /app
COPY src/ /app/src/
RUN find /app/src -type f | wc -l > /app/count
COPY --from=deps /work/big.sum /app/
LABEL bench=build
COPY late.txt /app/late.txt
CMD ["cat", "/app/count"]
`;

/** Writes the context once per run (files are reused by every engine). */
export function makeBuildContext(dir: string): string {
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  for (let d = 0; d < 20; d++) {
    const sub = path.join(dir, 'src', `pkg${d}`);
    fs.mkdirSync(sub, { recursive: true });
    for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(sub, `file${f}.txt`), `package ${d} file ${f}\n`.repeat(8));
  }
  const big = fs.openSync(path.join(dir, 'big.bin'), 'w');
  const chunk = randomBytes(1 << 20);
  for (let i = 0; i < 50; i++) { chunk[0] = i; fs.writeSync(big, chunk); }
  fs.closeSync(big);
  fs.writeFileSync(path.join(dir, 'late.txt'), 'late 0\n');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
  return dir;
}

export interface BuildSamples { cold: number[]; cached: number[]; oneFile: number[] }

export async function benchBuild(cli: Cli, contextDir: string, iterations: number, extraEnv: Record<string, string> = {}): Promise<BuildSamples> {
  const tag = `bench-build-${randomBytes(3).toString('hex')}`;
  const cmd = (args: string[]): TimedCommand => ({
    cmd: cli.cmd, args: [...cli.prefix, 'build', '-q', '-t', tag, ...args, contextDir], env: { ...cli.env, ...extraEnv },
  });
  const out: BuildSamples = { cold: [], cached: [], oneFile: [] };
  for (let i = 0; i < iterations; i++) out.cold.push((await timeOnce(cmd(['--no-cache']))).ms);
  await timeOnce(cmd([])); // warm
  for (let i = 0; i < iterations; i++) out.cached.push((await timeOnce(cmd([]))).ms);
  for (let i = 0; i < iterations; i++) {
    fs.writeFileSync(path.join(contextDir, 'late.txt'), `late ${randomBytes(4).toString('hex')}\n`);
    out.oneFile.push((await timeOnce(cmd([]))).ms);
  }
  return out;
}

/** BuildKit through the docker CLI needs the buildx plugin. */
export function buildxAvailable(env: Record<string, string>): boolean {
  try {
    execFileSync('docker', ['buildx', 'version'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
