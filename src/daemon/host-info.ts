// Facts about this build and host for /version and /info, collected once at start-up.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { goArch, type SystemInfo } from '../api';
import type { DaemonConfig } from './config';
import { writeFileAtomicSync } from '../util/atomic-file';

const CGROUP2_SUPER_MAGIC = 0x63677270;

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 3000 }, (err, stdout) => resolve(err ? '' : String(stdout)));
  });
}

/** The repository root (where package.json named "berth" lives), walking up from this file. */
export function repoRoot(): string | undefined {
  let dir = __dirname;
  for (;;) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'berth') return dir;
    } catch { /* keep walking */ }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function berthVersion(): string {
  const root = repoRoot();
  if (!root) return '0.0.0-dev';
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0-dev';
}

export async function gitCommit(): Promise<string> {
  const root = repoRoot();
  if (!root || !fs.existsSync(path.join(root, '.git'))) return 'unknown';
  return (await run('git', ['-C', root, 'rev-parse', '--short', 'HEAD'])).trim() || 'unknown';
}

function osRelease(): { pretty: string; version: string } {
  const fields = new Map<string, string>();
  try {
    for (const line of fs.readFileSync('/etc/os-release', 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (m) fields.set(m[1], m[2].replace(/^"(.*)"$/, '$1'));
    }
  } catch { /* not a standard distribution */ }
  return { pretty: fields.get('PRETTY_NAME') ?? 'Linux', version: fields.get('VERSION_ID') ?? '' };
}

/** Daemon ID: created once and kept in the data root, like dockerd's engine-id. */
export function engineId(dataRoot: string): string {
  const file = path.join(dataRoot, 'engine-id');
  try {
    const id = fs.readFileSync(file, 'utf8').trim();
    if (id) return id;
  } catch { /* first start */ }
  const id = randomUUID();
  writeFileAtomicSync(file, id + '\n');
  return id;
}

/** Resolve a binary name through PATH (absolute and relative paths are kept). */
export function lookPath(name: string): string | undefined {
  if (name.includes('/')) return fs.existsSync(name) ? path.resolve(name) : undefined;
  for (const dir of (process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    const candidate = path.join(dir || '.', name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch { /* next */ }
  }
  return undefined;
}

function cgroupFacts(version: '1' | '2'): SystemInfo['cgroup'] {
  const has = (p: string) => fs.existsSync(path.join('/sys/fs/cgroup', p));
  if (version === '2') {
    let controllers = '';
    try { controllers = fs.readFileSync('/sys/fs/cgroup/cgroup.controllers', 'utf8'); } catch { /* none */ }
    const c = (n: string) => controllers.split(/\s+/).includes(n);
    return {
      memoryLimit: c('memory'), swapLimit: c('memory'), cpuCfsPeriod: c('cpu'), cpuCfsQuota: c('cpu'),
      cpuShares: c('cpu'), cpuSet: c('cpuset'), pidsLimit: c('pids'), oomKillDisable: false,
    };
  }
  return {
    memoryLimit: has('memory/memory.limit_in_bytes'),
    swapLimit: has('memory/memory.memsw.limit_in_bytes'),
    cpuCfsPeriod: has('cpu/cpu.cfs_period_us'),
    cpuCfsQuota: has('cpu/cpu.cfs_quota_us'),
    cpuShares: has('cpu/cpu.shares'),
    cpuSet: has('cpuset/cpuset.cpus'),
    pidsLimit: has('pids'),
    oomKillDisable: has('memory/memory.oom_control'),
  };
}

export async function collectSystemInfo(config: DaemonConfig, runtimePath: string): Promise<SystemInfo> {
  let cgroupVersion: '1' | '2' = '1';
  try {
    if (fs.statfsSync('/sys/fs/cgroup').type === CGROUP2_SUPER_MAGIC) cgroupVersion = '2';
  } catch { /* no cgroup fs: report v1 */ }
  const cgroup = cgroupFacts(cgroupVersion);
  const [runcOut, conmonOut, commit] = await Promise.all([run(runtimePath, ['--version']), run('conmon', ['--version']), gitCommit()]);
  const rel = osRelease();
  const warnings: string[] = [];
  if (!cgroup.memoryLimit) warnings.push('WARNING: No memory limit support');
  else if (!cgroup.swapLimit) warnings.push('WARNING: No swap limit support');
  if (!cgroup.cpuCfsQuota) warnings.push('WARNING: No cpu cfs quota support');
  let buildTime = '';
  try { buildTime = fs.statSync(__filename).mtime.toISOString(); } catch { /* unknown */ }
  return {
    version: berthVersion(),
    gitCommit: commit,
    buildTime,
    startedAt: new Date().toISOString(),
    id: engineId(config.dataRoot),
    name: os.hostname(),
    dataRoot: config.dataRoot,
    execRoot: config.execRoot,
    debug: config.logLevel === 'debug',
    kernelVersion: os.release(),
    operatingSystem: rel.pretty,
    osVersion: rel.version,
    architecture: os.machine(),
    goArch: goArch(process.arch),
    ncpu: os.cpus().length,
    memTotal: os.totalmem(),
    cgroupVersion,
    cgroupDriver: 'cgroupfs',
    cgroup,
    runtime: {
      name: path.basename(config.runtime),
      path: runtimePath,
      version: /version\s+(\S+)/.exec(runcOut)?.[1] ?? '',
      commit: /commit:\s*(\S+)/.exec(runcOut)?.[1] ?? '',
    },
    conmonVersion: /version\s+(\S+)/.exec(conmonOut)?.[1] ?? '',
    initBinary: '',
    registry: { insecureRegistries: config.insecureRegistries ?? [], mirrors: config.registryMirrors ?? [] },
    loggingDriver: config.logDriver, // conmon writes the file for json-file and local
    securityOptions: [],
    warnings,
  };
}
