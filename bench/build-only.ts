// Builder benchmark alone: `node dist/bench/build-only.js [--iterations N] [--dockerd]`
// runs bench/build.ts through the berth CLI and the docker CLI (legacy builder)
// against a private berthd, and optionally through a private dockerd.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDaemon, REPO_ROOT } from '../test/helpers/daemon';
import { benchBuild, makeBuildContext, type BuildSamples } from './build';
import { ensureBusybox, openDockerEngine } from './docker-engine';
import type { Cli } from './engine-suite';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function print(label: string, s: BuildSamples): void {
  console.log(`${label}: cold ${median(s.cold).toFixed(0)} ms, cached ${median(s.cached).toFixed(0)} ms, one-file change ${median(s.oneFile).toFixed(0)} ms`);
}

export async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf('--iterations');
  const iterations = at >= 0 ? Number(argv[at + 1]) : 3;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-build-'));
  try {
    const ctx = makeBuildContext(path.join(workDir, 'context'));
    const d = await startDaemon({ logLevel: 'info' });
    try {
      const berth: Cli = { label: 'berth', cmd: process.execPath, prefix: [path.join(REPO_ROOT, 'bin', 'berth')], env: { BERTH_HOST: d.dockerHost } };
      const docker: Cli = { label: 'docker', cmd: 'docker', prefix: [], env: { DOCKER_HOST: d.dockerHost, DOCKER_CONFIG: path.join(workDir, 'dcfg') } };
      print('berthd: berth CLI', await benchBuild(berth, ctx, iterations));
      print('berthd: docker CLI (legacy)', await benchBuild(docker, ctx, iterations, { DOCKER_BUILDKIT: '0' }));
    } finally {
      await d.cleanup();
    }
    if (argv.includes('--dockerd')) {
      const engine = await openDockerEngine(workDir);
      if (!engine) console.log('dockerd: not installed');
      else {
        try {
          await ensureBusybox(engine.socket, workDir);
          const docker: Cli = { label: 'docker', cmd: 'docker', prefix: [], env: { DOCKER_HOST: `unix://${engine.socket}`, DOCKER_CONFIG: path.join(workDir, 'dcfg') } };
          print('dockerd: docker CLI (legacy)', await benchBuild(docker, ctx, iterations, { DOCKER_BUILDKIT: '0' }));
        } finally {
          await engine.stop();
        }
      }
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exitCode = 1;
  });
}
