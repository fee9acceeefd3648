// Units behind stats/top/update: cgroup file parsers and readers (v1 and v2 trees built
// in temp dirs), a real OOM kill counted by the kernel, the stats record generator, the
// CLI's Docker formulas, ps output filtering, and update's merge and validation rules.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  parseBlkioV1, parseCgroupMounts, parseIoStatV2, parseKeyValues, parseNumber, parseProcCgroup, parseProcStat,
  readCgroup, oomKillCount, cgroupPids, V1_MEMORY_STAT_KEYS, V2_MEMORY_STAT_KEYS,
} from '../src/runtime/cgroups';
import { locate } from '../src/runtime/cgroups/mounts';
import { checkUlimits } from '../src/runtime';
import { exitWasOomKill } from '../src/container/oom';
import { statsRecords, parsePsOutput, validatePsArgs } from '../src/container/stats';
import { mergeUpdate, updateResources } from '../src/container/update';
import { validateResources, type ResourceRequest } from '../src/container/validate-resources';
import { defaultHostConfig } from '../src/container/config-merge';
import type { Container } from '../src/container/types';
import { blockIo, cpuPercent, entryFrom, invalidEntry, memUsageNoCache } from '../src/cli/stats/calc';
import { goFixed, statsContext } from '../src/cli/contexts/stats';
import type { StatsResponse } from '../src/client';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cg-'));
const cleanups: Array<() => void> = [() => fs.rmSync(tmp, { recursive: true, force: true })];
after(() => { for (const c of cleanups.reverse()) { try { c(); } catch { /* best effort */ } } });

function writeTree(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}

test('cgroup text parsers', () => {
  assert.deepEqual(parseKeyValues('user 12\nsystem 3\nbad x\n'), { user: 12, system: 3 });
  assert.equal(parseNumber('max\n', 7), 7);
  assert.equal(parseNumber('42\n'), 42);
  assert.deepEqual(parseBlkioV1('8:0 Read 4096\n8:0 Write 512\n8:0 Total 4608\n8:16 7\nTotal 4608\n'), [
    { major: 8, minor: 0, op: 'Read', value: 4096 }, { major: 8, minor: 0, op: 'Write', value: 512 },
    { major: 8, minor: 0, op: 'Total', value: 4608 }, { major: 8, minor: 16, op: '', value: 7 },
  ]);
  assert.deepEqual(parseIoStatV2('254:0 rbytes=100 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n'), [
    { major: 254, minor: 0, op: 'read', value: 100 }, { major: 254, minor: 0, op: 'write', value: 20 },
  ]);
  // USER_HZ ticks → ns; the cpu line's first 7 fields; one online CPU per cpuN line.
  assert.deepEqual(parseProcStat('cpu  100 1 50 1000 5 2 3 9 0 0\ncpu0 50 0 25 500 2 1 1 0 0 0\ncpu1 50 1 25 500 3 1 2 9 0 0\nintr 1\n'),
    { systemUsage: 1161 * 1e7, onlineCpus: 2 });
  const mounts = parseCgroupMounts([
    '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
    '32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
    '35 31 0:32 /nested /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
    '40 31 0:37 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd',
    '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate',
  ].join('\n'));
  assert.deepEqual(mounts.map((m) => [m.mountPoint, m.root, m.version, m.controllers.join('+')]), [
    ['/sys/fs/cgroup/cpu,cpuacct', '/', 1, 'cpu+cpuacct'],
    ['/sys/fs/cgroup/memory', '/nested', 1, 'memory'],
    ['/sys/fs/cgroup/systemd', '/', 1, 'xattr+name=systemd'],
    ['/sys/fs/cgroup/unified', '/', 2, ''],
  ]);
  const pc = parseProcCgroup('4:memory:/berth/abc\n2:cpu,cpuacct:/berth/abc\n0::/berth/abc\n');
  assert.equal(pc.get('memory'), '/berth/abc');
  assert.equal(pc.get('cpuacct'), '/berth/abc');
  assert.equal(pc.get(''), '/berth/abc');
});

test('cgroup v1 tree: counters in Docker\'s units and keys', () => {
  const root = path.join(tmp, 'v1');
  const id = 'c1';
  writeTree(root, {
    [`cpuacct/p/${id}/cpuacct.usage`]: '3000000000\n',
    [`cpuacct/p/${id}/cpuacct.usage_percpu`]: '1000000000 2000000000 \n',
    [`cpuacct/p/${id}/cpuacct.stat`]: 'user 250\nsystem 40\n',
    [`cpu/p/${id}/cpu.stat`]: 'nr_periods 10\nnr_throttled 2\nthrottled_time 5000\n',
    [`memory/p/${id}/memory.usage_in_bytes`]: '10485760\n',
    [`memory/p/${id}/memory.max_usage_in_bytes`]: '20971520\n',
    [`memory/p/${id}/memory.limit_in_bytes`]: '9223372036854771712\n',
    [`memory/p/${id}/memory.failcnt`]: '0\n',
    [`memory/p/${id}/memory.stat`]: 'cache 4096\nrss 8192\ntotal_inactive_file 1048576\nworkingset_refault_file 5\n',
    [`memory/p/${id}/memory.oom_control`]: 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n',
    [`pids/p/${id}/pids.current`]: '3\n',
    [`pids/p/${id}/pids.max`]: 'max\n',
    [`pids/p/${id}/cgroup.procs`]: '11\n12\n13\n',
    [`blkio/p/${id}/blkio.throttle.io_service_bytes`]: '8:0 Read 4096\n8:0 Write 8192\nTotal 12288\n',
    [`blkio/p/${id}/blkio.throttle.io_serviced`]: '8:0 Read 1\n8:0 Write 2\nTotal 3\n',
  });
  const mounts = ['cpu', 'cpuacct', 'memory', 'pids', 'blkio'].map((c) => ({ mountPoint: path.join(root, c), root: '/', controllers: [c], version: 1 as const }));
  const loc = locate(() => `/p/${id}`, mounts);
  assert.ok(loc && loc.version === 1);
  const s = readCgroup(loc);
  assert.deepEqual(s.cpu, {
    totalUsage: 3e9, kernelUsage: 40 * 1e7, userUsage: 250 * 1e7, perCpu: [1e9, 2e9], periods: 10, throttledPeriods: 2, throttledTime: 5000,
  });
  assert.equal(s.memory?.usage, 10485760);
  assert.equal(s.memory?.maxUsage, 20971520);
  assert.deepEqual(Object.keys(s.memory!.stats), [...V1_MEMORY_STAT_KEYS].sort(), 'exactly dockerd\'s keys, sorted as Go marshals a map');
  assert.equal(s.memory!.stats.total_inactive_file, 1048576);
  assert.equal(s.memory!.stats.total_rss, 0, 'missing keys are 0');
  assert.deepEqual(s.pids, { current: 3, limit: 0 });
  assert.deepEqual(s.blkio?.io_service_bytes_recursive, [{ major: 8, minor: 0, op: 'Read', value: 4096 }, { major: 8, minor: 0, op: 'Write', value: 8192 }]);
  assert.deepEqual(s.blkio?.io_queue_recursive, []);
  assert.equal(oomKillCount(loc), 2);
  assert.deepEqual(cgroupPids(loc), [11, 12, 13]);
  // A path outside a mount's root is not in that hierarchy.
  assert.equal(locate(() => '/p/other', mounts), undefined);
});

test('cgroup v2 tree: counters in Docker\'s units and keys', () => {
  const dir = path.join(tmp, 'v2', 'p', 'c2');
  writeTree(dir, {
    'cpu.stat': 'usage_usec 2000\nuser_usec 1500\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\nthrottled_usec 30\n',
    'memory.current': '5000000\n',
    'memory.max': 'max\n',
    'memory.stat': 'anon 100\nfile 200\ninactive_file 150\nworkingset_refault_anon 3\nworkingset_refault_file 4\n',
    'memory.events': 'low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\n',
    'pids.current': '2\n',
    'pids.max': '50\n',
    'io.stat': '8:0 rbytes=10 wbytes=20 rios=1 wios=1\n',
    'cgroup.procs': '5\n',
  });
  const loc = locate(() => '/p/c2', [{ mountPoint: path.join(tmp, 'v2'), root: '/', controllers: [], version: 2 }]);
  assert.ok(loc && loc.version === 2);
  const s = readCgroup(loc);
  assert.deepEqual(s.cpu, { totalUsage: 2e6, kernelUsage: 5e5, userUsage: 1.5e6, periods: 4, throttledPeriods: 1, throttledTime: 30000 });
  assert.equal(s.memory?.usage, 5000000);
  assert.equal(s.memory?.limit, 2 ** 64 - 1);
  assert.equal(s.memory?.failcnt, 1, 'memory.events oom');
  assert.deepEqual(Object.keys(s.memory!.stats), [...V2_MEMORY_STAT_KEYS].sort());
  assert.equal(s.memory!.stats.workingset_refault, 7, 'split counters are summed');
  assert.deepEqual(s.pids, { current: 2, limit: 50 });
  assert.equal(s.blkio?.io_service_bytes_recursive?.length, 2);
  assert.equal(s.blkio?.io_serviced_recursive, null);
  assert.equal(oomKillCount(loc), 1);
});

test('the kernel\'s OOM kill counter flags an exit conmon did not (real cgroup v1)', { skip: !fs.existsSync('/sys/fs/cgroup/memory/memory.stat') || process.getuid?.() !== 0 }, () => {
  const parent = `berth-unit-${randomBytes(4).toString('hex')}`;
  const parentDir = path.join('/sys/fs/cgroup/memory', parent);
  const dir = path.join(parentDir, 'c1');
  fs.mkdirSync(dir, { recursive: true });
  cleanups.push(() => { fs.rmdirSync(dir); fs.rmdirSync(parentDir); });
  fs.writeFileSync(path.join(dir, 'memory.limit_in_bytes'), String(16 << 20));
  if (fs.existsSync(path.join(dir, 'memory.memsw.limit_in_bytes'))) fs.writeFileSync(path.join(dir, 'memory.memsw.limit_in_bytes'), String(16 << 20));
  assert.equal(exitWasOomKill('c1', parent, 137, false), false, 'no kill yet');
  const r = spawnSync('sh', ['-c', `echo $$ > ${dir}/cgroup.procs; x=$(head -c 100000000 /dev/zero | tr "\\0" a); echo survived`], { encoding: 'utf8', timeout: 30_000 });
  assert.notEqual(r.stdout, 'survived\n');
  assert.equal(exitWasOomKill('c1', parent, 137, false), true);
  assert.equal(exitWasOomKill('c1', parent, 0, false), false, 'only SIGKILL exits are checked');
  assert.equal(exitWasOomKill('gone', parent, 137, false), false);
  assert.equal(exitWasOomKill('gone', parent, 1, true), true, 'conmon\'s word is enough');
});

function fakeContainer(status: 'running' | 'exited', pid: number): Container {
  return {
    id: 'f'.repeat(64), name: 'fake', created: '', path: 'sh', args: [], config: {} as Container['config'], hostConfig: defaultHostConfig(),
    imageId: '', restartCount: 0, logPath: '', resolvConfPath: '', hostnamePath: '', hostsPath: '', manuallyStopped: false,
    state: { Status: status, Running: status === 'running', Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: pid, ExitCode: 0, Error: '', StartedAt: '', FinishedAt: '' },
  };
}

test('stats records: zeroed when stopped; stream=false pairs samples a second apart; streaming ends on removal', async () => {
  const stopped = fakeContainer('exited', 0);
  const zero = [];
  for await (const r of statsRecords(() => stopped, 'none', { stream: false, oneShot: false })) zero.push(r);
  assert.equal(zero.length, 1);
  assert.equal(zero[0].read, '0001-01-01T00:00:00Z');
  assert.equal(zero[0].name, '/fake');
  assert.deepEqual(zero[0].memory_stats, {});
  assert.equal(JSON.stringify(zero[0].blkio_stats.io_service_bytes_recursive), 'null');

  // This test process stands in for a container: its own cgroup is read.
  const self = fakeContainer('running', process.pid);
  const t0 = Date.now();
  const paired = [];
  for await (const r of statsRecords(() => self, 'none', { stream: false, oneShot: false })) paired.push(r);
  assert.ok(Date.now() - t0 >= 900);
  assert.equal(paired.length, 1);
  assert.notEqual(paired[0].preread, '0001-01-01T00:00:00Z');
  assert.ok(paired[0].cpu_stats.cpu_usage.total_usage >= paired[0].precpu_stats.cpu_usage.total_usage);
  assert.ok((paired[0].memory_stats.usage ?? 0) > 0);

  let calls = 0;
  const streamed = [];
  for await (const r of statsRecords(() => (++calls <= 2 ? self : undefined), 'none', { stream: true, oneShot: false })) streamed.push(r);
  assert.equal(streamed.length, 2, 'the stream ends once the container is gone');
  assert.equal(streamed[1].preread, streamed[0].read);

  const ac = new AbortController();
  const t1 = Date.now();
  setTimeout(() => ac.abort(), 100);
  const aborted = [];
  for await (const r of statsRecords(() => self, 'none', { stream: true, oneShot: false }, ac.signal)) aborted.push(r);
  assert.equal(aborted.length, 1);
  assert.ok(Date.now() - t1 < 900, 'abort ends the wait');
});

test('Docker CLI formulas: CPU %, memory without inactive file pages, block I/O, table cells', () => {
  const cpu = (total: number, system: number, online?: number, percpu?: number[]) =>
    ({ cpu_usage: { total_usage: total, usage_in_kernelmode: 0, usage_in_usermode: 0, percpu_usage: percpu }, system_cpu_usage: system, online_cpus: online });
  assert.equal(cpuPercent(cpu(1e9, 10e9, 2), cpu(2e9, 12e9, 2)), 100);
  assert.equal(cpuPercent(cpu(1e9, 10e9), cpu(1.5e9, 12e9, 0, [1, 2, 3, 4])), 100, 'percpu length when online_cpus is absent');
  assert.equal(cpuPercent(cpu(2e9, 10e9, 2), cpu(2e9, 12e9, 2)), 0);
  assert.equal(memUsageNoCache({ usage: 1000, stats: { total_inactive_file: 300, inactive_file: 100 } }), 700, 'v1 key first');
  assert.equal(memUsageNoCache({ usage: 1000, stats: { inactive_file: 100 } }), 900, 'v2');
  assert.equal(memUsageNoCache({ usage: 1000, stats: { total_inactive_file: 5000 } }), 1000);
  assert.deepEqual(blockIo({ io_service_bytes_recursive: [
    { major: 8, minor: 0, op: 'Read', value: 10 }, { major: 8, minor: 0, op: 'write', value: 5 }, { major: 8, minor: 0, op: 'Total', value: 15 },
  ] }), { read: 10, write: 5 });

  const v: StatsResponse = {
    id: 'a'.repeat(64), name: '/web', read: '', preread: '', cpu_stats: cpu(3e9, 20e9, 2), precpu_stats: cpu(2e9, 18e9, 2),
    memory_stats: { usage: 3 * 1024 * 1024, limit: 64 * 1024 * 1024, stats: { total_inactive_file: 1024 * 1024 } },
    pids_stats: { current: 4 }, blkio_stats: { io_service_bytes_recursive: [{ major: 8, minor: 0, op: 'Read', value: 2_500_000 }] },
    networks: { eth0: { rx_bytes: 1500, tx_bytes: 0 } },
  };
  const row = statsContext(entryFrom('web', v), true) as Record<string, () => string>;
  assert.equal(row.ID(), 'aaaaaaaaaaaa');
  assert.equal(row.Name(), 'web');
  assert.equal(row.CPUPerc(), '100.00%');
  assert.equal(row.MemUsage(), '2MiB / 64MiB');
  assert.equal(row.MemPerc(), '3.12%', 'Go rounds the exact tie 3.125 to even');
  assert.deepEqual([3.375, 1.005, 49.885, 0].map((x) => goFixed(x, 2)), ['3.38', '1.00', '49.88', '0.00']);
  assert.equal(row.NetIO(), '1.5kB / 0B');
  assert.equal(row.BlockIO(), '2.5MB / 0B');
  assert.equal(row.PIDs(), '4');
  const bad = statsContext(invalidEntry('x'), true) as Record<string, () => string>;
  assert.deepEqual([bad.Name(), bad.CPUPerc(), bad.MemUsage(), bad.PIDs()], ['--', '--', '-- / --', '--']);
});

test('top: ps rows kept by PID, thread rows follow their process, last column keeps spaces', () => {
  const out = [
    'UID   PID  PPID  C STIME TTY  TIME     CMD',
    'root  10   1     0 10:00 ?    00:00:00 sh -c sleep 100',
    'root  -    -     0 10:00 ?    00:00:00 -',
    'root  11   10    0 10:00 ?    00:00:00 sleep 100',
    'root  99   1     0 10:00 ?    00:00:00 other',
    'root  -    -     0 10:00 ?    00:00:00 -',
    '',
  ].join('\n');
  const r = parsePsOutput(out, [10, 11]);
  assert.deepEqual(r.Titles, ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
  assert.deepEqual(r.Processes.map((p) => [p[1], p[7]]), [['10', 'sh -c sleep 100'], ['-', '-'], ['11', 'sleep 100']]);
  assert.throws(() => parsePsOutput('USER CMD\nroot x\n', [1]), /Couldn't find PID field in ps output/);
  assert.throws(() => validatePsArgs('-o user=PID'), /specifying "user=PID" is not allowed/);
  validatePsArgs('-o pid=PID,comm');
});

function request(r: Partial<ResourceRequest>): ResourceRequest {
  return { Memory: 0, MemorySwap: 0, MemoryReservation: 0, NanoCpus: 0, CpuShares: 0, CpuPeriod: 0, CpuQuota: 0, CpusetCpus: '', CpusetMems: '', PidsLimit: null, ...r };
}

test('update: Docker\'s validation, merge conflicts and the runc resources', () => {
  assert.throws(() => validateResources(request({ Memory: 1 << 20 }), true), /Minimum memory limit allowed is 6MB/);
  assert.throws(() => validateResources(request({ Memory: 64 << 20, MemorySwap: 32 << 20 }), true), /Minimum memoryswap limit should be larger than memory limit/);
  assert.deepEqual(validateResources(request({ MemorySwap: 64 << 20 }), true), [], 'swap alone is fine on update');
  assert.throws(() => validateResources(request({ MemorySwap: 64 << 20 }), false), /You should always set the Memory limit when using Memoryswap limit/);
  assert.throws(() => validateResources(request({ NanoCpus: 1e9, CpuQuota: 50000 }), true), /Nano CPUs and CPU Quota cannot both be set/);
  assert.throws(() => validateResources(request({ BlkioWeight: 5 }), true), /Range of blkio weight is from 10 to 1000/);
  const created = request({ Memory: 64 << 20 });
  validateResources(created, false);
  assert.equal(created.MemorySwap, 128 << 20, 'create doubles memory for swap');

  const hc = { ...defaultHostConfig(), Memory: 64 << 20, MemorySwap: 128 << 20, NanoCpus: 1e9 };
  assert.throws(() => mergeUpdate(hc, request({ Memory: 256 << 20 }), undefined), /Memory limit should be smaller than already set memoryswap limit/);
  assert.throws(() => mergeUpdate(hc, request({ CpuPeriod: 50000 }), undefined), /CPU Period cannot be updated as NanoCPUs has already been set/);
  assert.throws(() => mergeUpdate({ ...hc, AutoRemove: true }, request({}), { Name: 'always', MaximumRetryCount: 0 }), /AutoRemove is enabled/);
  const merged = mergeUpdate(hc, request({ Memory: 96 << 20, PidsLimit: 10, CpusetCpus: '0' }), { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.equal(merged.Memory, 96 << 20);
  assert.equal(merged.MemorySwap, 128 << 20, 'unchanged');
  assert.equal(merged.NanoCpus, 1e9, 'unchanged');
  assert.equal(merged.PidsLimit, 10);
  assert.deepEqual(merged.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.equal(hc.Memory, 64 << 20, 'the current config is not mutated');

  assert.deepEqual(updateResources(request({ NanoCpus: 5e8, Memory: 32 << 20, MemorySwap: -1, PidsLimit: -1, BlkioWeight: 300 })), {
    devices: [], cpu: { period: 100000, quota: 50000 }, memory: { limit: 32 << 20, swap: -1 }, pids: { limit: -1 }, blockIO: { weight: 300 },
  });
  assert.deepEqual(updateResources(request({ CpuShares: 512 })), { devices: [], cpu: { shares: 512 } });
});

test('ulimits are checked at create: known type, soft <= hard', () => {
  assert.throws(() => checkUlimits([{ Name: 'bogus', Soft: 1, Hard: 1 }]), /invalid ulimit type: bogus/);
  assert.throws(() => checkUlimits([{ Name: 'nofile', Soft: 10, Hard: 5 }]), /ulimit soft limit must be less than or equal to hard limit: 10 > 5/);
  checkUlimits([{ Name: 'nofile', Soft: 64, Hard: 128 }]);
  checkUlimits(null);
});
