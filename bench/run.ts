// `npm run bench`: Berth against raw runc and (where installed) Docker Engine. Prints
// medians with p10/p90 spread and the ratios the milestone targets. Never a pass/fail test.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startDaemon, REPO_ROOT, type TestDaemon } from '../test/helpers/daemon';
import { Report, fmtMiB, fmtMs, fmtRatio } from './stats';
import { rssBytes } from './memory';
import { benchRawRunc } from './runc-raw';
import { benchFleet, benchLifecycle, benchLifecycleApi, benchRunRm, type Cli, type EngineTarget } from './engine-suite';
import { ensureBusybox, openDockerEngine, type DockerEngine } from './docker-engine';
import { benchLogThroughput, logRatioLines, reportLogThroughput } from './logs';
import { benchAttachThroughput, benchExec, benchExecApi, benchRawRuncExec } from './exec-attach';
import { summarize } from './stats';
import { benchBlobGet, describeBlobGet } from './registry-blobs';
import { benchBuild, buildxAvailable, makeBuildContext } from './build';
import { benchStatsLatency } from './stats-latency';
import { benchRegistryBerthd, benchRegistryDockerd, registryBenchOptions, registryRatios, writeRandomImage } from './registry-client';
import { hasReferenceRegistry } from '../test/helpers/reference-registry';

interface Options { iterations: number; containers: number }

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const num = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    return i >= 0 && Number(argv[i + 1]) > 0 ? Number(argv[i + 1]) : fallback;
  };
  return { iterations: num('--iterations', quick ? 5 : 20), containers: num('--containers', quick ? 25 : 100) };
}

async function section(report: Report, label: string, fn: () => Promise<void>): Promise<void> {
  process.stderr.write(`bench: ${label}...\n`);
  try {
    await fn();
  } catch (err) {
    report.value(`${label}: FAILED`, 'see below');
    report.note(`${label} failed: ${(err as Error).message.split('\n')[0].slice(0, 300)}`);
  }
}

async function benchEngine(report: Report, target: EngineTarget, o: Options): Promise<void> {
  const tag = target.name;
  for (const cli of target.clis) {
    await section(report, `${tag}: ${cli.label} run --rm busybox true`, async () => {
      report.timing(`${tag}: ${cli.label} run --rm busybox true`, await benchRunRm(target, cli, o.iterations));
    });
  }
  for (const cli of target.clis) {
    await section(report, `${tag}: ${cli.label} exec true`, async () => {
      report.timing(`${tag}: ${cli.label} exec true`, await benchExec(target, cli, o.iterations));
    });
    await section(report, `${tag}: ${cli.label} run stdout throughput`, async () => {
      const mbps = summarize(await benchAttachThroughput(target, cli, 256, 3)).median;
      report.metrics.set(`${tag}: ${cli.label} MB/s`, mbps);
      report.value(`${tag}: ${cli.label} run stdout throughput (256 MiB, median of 3)`, `${mbps.toFixed(0)} MiB/s`);
    });
  }
  await section(report, `${tag}: log throughput`, async () => {
    // The docker CLI on both engines: the same client, side by side.
    const cli = target.clis.find((c) => c.label === 'docker') ?? target.clis[0];
    const mb = o.iterations >= 20 ? 64 : 32;
    reportLogThroughput(report, tag, cli, mb, await benchLogThroughput(target, cli, mb, 3));
  });
  await section(report, `${tag}: API exec true`, async () => {
    report.timing(`${tag}: API exec true (create+start+inspect)`, await benchExecApi(target, o.iterations));
  });
  await section(report, `${tag}: lifecycle`, async () => {
    const s = await benchLifecycle(target, target.clis[0], o.iterations);
    for (const verb of ['create', 'start', 'stop', 'rm'] as const) report.timing(`${tag}: ${target.clis[0].label} ${verb}`, s[verb]);
  });
  await section(report, `${tag}: lifecycle (API)`, async () => {
    const s = await benchLifecycleApi(target, o.iterations);
    for (const verb of ['create', 'start', 'stop', 'rm'] as const) report.timing(`${tag}: API ${verb}`, s[verb]);
  });
  await section(report, `${tag}: stats latency (API)`, async () => {
    const s = await benchStatsLatency(target, o.iterations);
    report.timing(`${tag}: API stats one-shot`, s.oneShot);
    report.timing(`${tag}: API stats stream=false`, s.paired);
    report.timing(`${tag}: API top`, s.top);
  });
  if (target.daemonPid) report.value(`${tag}: daemon RSS (idle)`, fmtMiB(rssBytes(target.daemonPid)));
  await section(report, `${tag}: ${o.containers} running containers`, async () => {
    const f = await benchFleet(target, o.containers, o.iterations);
    for (const [label, samples] of f.ps) report.timing(`${tag}: ${label} ps (${f.started} running)`, samples);
    report.timing(`${tag}: GET /containers/json (${f.started} running)`, f.apiList);
    report.metrics.set(`${tag}: mem`, f.memPerContainer);
    report.metrics.set(`${tag}: shim`, f.shimRssPerContainer);
    report.metrics.set(`${tag}: running`, f.started);
    report.metrics.set(`${tag}: shim pss`, f.shimPssPerContainer);
    report.value(`${tag}: memory per idle container (MemAvailable delta)`, fmtMiB(f.memPerContainer));
    report.value(`${tag}: ${target.shim.name} RSS per container`, fmtMiB(f.shimRssPerContainer));
    report.value(`${tag}: ${target.shim.name} PSS per container`, fmtMiB(f.shimPssPerContainer));
    if (target.cgroupParent) report.value(`${tag}: container cgroup memory per container`, fmtMiB(f.cgroupPerContainer));
    report.value(`${tag}: daemon RSS with ${f.started} containers`, fmtMiB(f.daemonRss));
  });
}

function berthTarget(d: TestDaemon): EngineTarget {
  const berth: Cli = { label: 'berth', cmd: process.execPath, prefix: [path.join(REPO_ROOT, 'bin', 'berth')], env: { BERTH_HOST: d.dockerHost } };
  const docker: Cli = { label: 'docker', cmd: 'docker', prefix: [], env: { DOCKER_HOST: d.dockerHost, DOCKER_CONFIG: path.join(d.tmpRoot, 'docker-config') } };
  return { name: 'berthd', socket: d.socket, clis: [berth, docker], runArgs: [], shim: { name: 'conmon', mention: d.tmpRoot }, daemonPid: d.pid, cgroupParent: d.cgroupParent };
}

function printRatios(report: Report, o: Options, dockerEngine: boolean): void {
  const runc = report.median('raw runc run /bin/true');
  const berthRun = report.median('berthd: berth run --rm busybox true');
  const dockerCliRun = report.median('berthd: docker run --rm busybox true');
  const engineRun = report.median('dockerd: docker run --rm busybox true');
  const out: string[] = ['', 'Ratios (medians):'];
  out.push(`  berth run --rm / raw runc            ${fmtRatio(berthRun, runc)}   (target <= 3x; Docker Engine 20.10 here: ~15x)`);
  out.push(`  docker CLI on berthd / raw runc      ${fmtRatio(dockerCliRun, runc)}`);
  if (dockerEngine) {
    out.push(`  berth run --rm / dockerd             ${fmtRatio(berthRun, engineRun)}`);
    out.push(`  docker CLI: berthd / dockerd         ${fmtRatio(dockerCliRun, engineRun)}`);
  }
  const runcExec = report.median('raw runc exec /bin/true');
  out.push(`  exec true: berth CLI / raw runc exec ${fmtRatio(report.median('berthd: berth exec true'), runcExec)}, docker CLI on berthd / raw runc exec ${fmtRatio(report.median('berthd: docker exec true'), runcExec)}   (target <= 2x)`);
  out.push(`  exec true, API only (no CLI start-up) / raw runc exec ${fmtRatio(report.median('berthd: API exec true (create+start+inspect)'), runcExec)}`);
  if (dockerEngine) {
    out.push(`  exec true (docker CLI): berthd / dockerd ${fmtRatio(report.median('berthd: docker exec true'), report.median('dockerd: docker exec true'))}`);
    const mb = (k: string) => report.metrics.get(k) ?? NaN;
    out.push(`  stdout throughput (docker CLI): berthd / dockerd ${fmtRatio(mb('berthd: docker MB/s'), mb('dockerd: docker MB/s'))}   (target >= 1x)`);
  }
  if (dockerEngine) out.push(...logRatioLines(report));
  if (dockerEngine) {
    for (const what of ['stats one-shot', 'stats stream=false', 'top']) {
      out.push(`  API ${what}: berthd / dockerd${' '.repeat(Math.max(1, 22 - what.length))}${fmtRatio(report.median(`berthd: API ${what}`), report.median(`dockerd: API ${what}`))}`);
    }
  }
  const running = report.metrics.get('berthd: running') ?? o.containers;
  out.push(`  ps with ${running} containers: berth CLI ${fmtMs(report.median(`berthd: berth ps (${running} running)`))}, docker CLI ${fmtMs(report.median(`berthd: docker ps (${running} running)`))}   (target <= 50 ms)`);
  const m = (key: string): string => fmtMiB(report.metrics.get(key) ?? NaN);
  out.push(`  idle container: ${m('berthd: mem')} system-wide, conmon ${m('berthd: shim')} RSS / ${m('berthd: shim pss')} PSS`
    + `   (target <= 2 MiB; Docker containerd-shim: ~13 MiB RSS each)`);
  report.note(out.join('\n'));
}

export async function main(argv: string[]): Promise<void> {
  const o = parseOptions(argv);
  process.on('SIGINT', () => process.exit(130)); // run the harness's exit-hook cleanup
  const runcVersion = execFileSync('runc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  process.stdout.write(`Berth benchmark: ${o.iterations} iterations, ${o.containers} containers for ps/memory\n`);
  process.stdout.write(`${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, kernel ${os.release()}, node ${process.version}, ${runcVersion}\n\n`);
  const report = new Report();
  const workDir = fs.mkdtempSync('/tmp/berth-bench-');
  let daemon: TestDaemon | undefined;
  let engine: DockerEngine | undefined;
  try {
    await section(report, 'raw runc run /bin/true', async () => {
      report.timing('raw runc run /bin/true', await benchRawRunc(path.join(workDir, 'runc'), o.iterations));
    });
    await section(report, 'raw runc exec /bin/true', async () => {
      report.timing('raw runc exec /bin/true', await benchRawRuncExec(workDir, o.iterations));
    });
    daemon = await startDaemon({ logLevel: 'warn' });
    await benchEngine(report, berthTarget(daemon), o);
    const buildCtx = makeBuildContext(path.join(workDir, 'build-context'));
    const buildIterations = Math.max(2, Math.min(5, Math.round(o.iterations / 4)));
    for (const cli of berthTarget(daemon).clis) {
      await section(report, `berthd: ${cli.label} build`, async () => {
        const s = await benchBuild(cli, buildCtx, buildIterations, { DOCKER_BUILDKIT: '0' });
        report.timing(`berthd: ${cli.label} build cold`, s.cold);
        report.timing(`berthd: ${cli.label} build cached`, s.cached);
        report.timing(`berthd: ${cli.label} build one-file change`, s.oneFile);
      });
    }
    const registryOptions = registryBenchOptions(argv.includes('--quick'));
    const randomImage = hasReferenceRegistry() ? await writeRandomImage(path.join(workDir, 'registry-image'), registryOptions) : undefined;
    if (!randomImage) report.note('docker-registry not installed: registry push/pull skipped');
    const live = daemon;
    if (randomImage) {
      await section(report, 'berthd: registry push/pull', () => benchRegistryBerthd(report, live, workDir, randomImage, registryOptions.rounds));
    }
    await daemon.cleanup();
    daemon = undefined;

    await section(report, 'dockerd', async () => {
      engine = await openDockerEngine(workDir);
      if (!engine) {
        report.note('Docker Engine not installed: skipped');
        return;
      }
      await ensureBusybox(engine.socket, workDir);
      const env = { DOCKER_HOST: `unix://${engine.socket}`, DOCKER_CONFIG: path.join(workDir, 'docker-config') };
      await benchEngine(report, {
        name: 'dockerd', socket: engine.socket, clis: [{ label: 'docker', cmd: 'docker', prefix: [], env }],
        runArgs: ['--network', 'none'], shim: { name: 'containerd-shim-runc-v2', mention: '' }, daemonPid: engine.pid, cgroupParent: engine.cgroupParent,
      }, o);
      report.note('dockerd runs use --network none (berthd containers get a loopback-only network namespace).');
      const buildCtx = path.join(workDir, 'build-context');
      const dockerCli = { label: 'docker', cmd: 'docker', prefix: [] as string[], env };
      await section(report, 'dockerd: legacy build', async () => {
        const s = await benchBuild(dockerCli, buildCtx, Math.max(2, Math.min(5, Math.round(o.iterations / 4))), { DOCKER_BUILDKIT: '0' });
        report.timing('dockerd: docker build (legacy) cold', s.cold);
        report.timing('dockerd: docker build (legacy) cached', s.cached);
        report.timing('dockerd: docker build (legacy) one-file change', s.oneFile);
      });
      if (buildxAvailable(env)) {
        await section(report, 'dockerd: BuildKit build', async () => {
          const s = await benchBuild(dockerCli, buildCtx, Math.max(2, Math.min(5, Math.round(o.iterations / 4))), { DOCKER_BUILDKIT: '1' });
          report.timing('dockerd: docker build (BuildKit) cold', s.cold);
          report.timing('dockerd: docker build (BuildKit) cached', s.cached);
          report.timing('dockerd: docker build (BuildKit) one-file change', s.oneFile);
        });
      } else report.note('BuildKit not measured: the docker CLI has no buildx plugin here (DOCKER_BUILDKIT=1 needs it).');
      const started = engine;
      if (randomImage) {
        await section(report, 'dockerd: registry push/pull', () => benchRegistryDockerd(report, started, workDir, randomImage, registryOptions.rounds));
      }
    });
    await section(report, 'registry: blob GET throughput', async () => {
      const r = await benchBlobGet(workDir);
      const median = (xs: number[]) => summarize(xs).median;
      report.value('berth registry: blob GET (256 MiB, loopback, curl)', `${median(r.berthMBps).toFixed(0)} MB/s`);
      if (r.referenceMBps) report.value('reference registry: blob GET (256 MiB, loopback, curl)', `${median(r.referenceMBps).toFixed(0)} MB/s`);
      report.note(describeBlobGet(r).join('\n'));
    });
    printRatios(report, o, engine !== undefined);
    if (randomImage) report.note(`Registry (reference registry on loopback, ${(randomImage.bytes / 1e6).toFixed(0)} MB of random layers, MB/s of image data):\n${registryRatios(report)}`);
    report.note('MemAvailable deltas are system-wide: other activity on the machine during the run shifts them (even below zero); PSS splits shared pages fairly.');
    report.print();
  } finally {
    await daemon?.cleanup().catch((err: Error) => process.stderr.write(`bench: cleanup: ${err.message}\n`));
    await (engine as DockerEngine | undefined)?.stop().catch(() => undefined);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`bench: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
