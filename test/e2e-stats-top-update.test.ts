// Talking to running containers through the docker CLI, the Python SDK and the berth CLI:
// stats (cgroup counters, Docker's JSON and table), top, update (persisted and applied
// to the cgroup), resource limits at run, ulimit refusal at create, and OOM kills.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { startDaemon, describe as show, type TestDaemon } from './helpers';
import { canRaiseHardLimits, hostHardLimits } from '../src/runtime';

let d: TestDaemon;
let busyId = '';
before(async () => {
  d = await startDaemon();
  busyId = (await d.dockerOk(['run', '-d', '--name', 'busy', 'busybox', 'sh', '-c', 'while :; do :; done'])).trim();
});
after(async () => { await d?.cleanup(); });

const MEMORY_V1 = '/sys/fs/cgroup/memory';

/** A cgroup v1 file of a container (this machine's layout: <controller>/<parent>/<id>). */
function cgroupFile(controller: string, id: string, file: string): string {
  return fs.readFileSync(path.join('/sys/fs/cgroup', controller, d.cgroupParent, id, file), 'utf8').trim();
}

/** The first `count` newline-delimited JSON records of a streaming response. */
function streamRecords(urlPath: string, count: number): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, path: urlPath, timeout: 20_000 }, (res) => {
      let buf = '';
      const out: Array<Record<string, unknown>> = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0 && out.length < count) {
          out.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
          buf = buf.slice(nl + 1);
        }
        if (out.length >= count) { req.destroy(); resolve(out); }
      });
      res.on('end', () => resolve(out));
    });
    req.on('error', (err) => { if (!req.destroyed) reject(err); });
    req.on('timeout', () => { req.destroy(); reject(new Error('stats stream timed out')); });
    req.end();
  });
}

test('docker stats --no-stream shows the CPU and memory of a busy container', async () => {
  const table = await d.dockerOk(['stats', '--no-stream', 'busy']);
  const [header, row] = table.split('\n');
  assert.match(header, /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
  assert.ok(row.startsWith(busyId.slice(0, 12)), table);
  const out = await d.dockerOk(['stats', '--no-stream', '--format', '{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}|{{.PIDs}}|{{.Name}}', 'busy']);
  const [cpu, mem, memPerc, pids, name] = out.trim().split('|');
  // A spinning shell takes most of one CPU of this 2-CPU machine (other tests share it).
  assert.ok(parseFloat(cpu) > 20 && parseFloat(cpu) < 210, `CPU % ${cpu}`);
  const [usage, limit] = mem.split(' / ');
  assert.match(usage, /^[\d.]+(KiB|MiB)$/, mem);
  assert.match(limit, /GiB$/, 'no limit: the machine memory');
  assert.match(memPerc, /^\d+\.\d\d%$/);
  assert.equal(pids, '1');
  assert.equal(name, 'busy');
});

test('stats JSON has Docker\'s keys: stream=false pairs two samples, one-shot answers at once', async () => {
  const started = Date.now();
  const r = await d.api('GET', '/v1.45/containers/busy/stats?stream=false');
  assert.equal(r.status, 200, r.text);
  assert.ok(Date.now() - started >= 900, 'waits for a second sample');
  const s = r.json as Record<string, any>;
  for (const key of ['read', 'preread', 'pids_stats', 'blkio_stats', 'num_procs', 'storage_stats', 'cpu_stats', 'precpu_stats', 'memory_stats', 'name', 'id']) {
    assert.ok(key in s, `missing ${key}`);
  }
  assert.equal(s.name, '/busy');
  assert.equal(s.id, busyId);
  assert.notEqual(s.preread, '0001-01-01T00:00:00Z');
  assert.ok(Date.parse(s.read) - Date.parse(s.preread) >= 900);
  assert.ok(s.cpu_stats.cpu_usage.total_usage > s.precpu_stats.cpu_usage.total_usage);
  assert.ok(s.cpu_stats.system_cpu_usage > s.precpu_stats.system_cpu_usage);
  assert.ok(s.cpu_stats.online_cpus >= 1);
  assert.equal(s.cpu_stats.cpu_usage.percpu_usage.length, s.cpu_stats.online_cpus, 'cgroup v1 reports per-CPU usage');
  assert.ok(s.cpu_stats.cpu_usage.usage_in_usermode > 0);
  assert.deepEqual(Object.keys(s.cpu_stats.throttling_data).sort(), ['periods', 'throttled_periods', 'throttled_time']);
  assert.ok(s.memory_stats.usage > 0 && s.memory_stats.limit > s.memory_stats.usage);
  for (const key of ['cache', 'rss', 'total_inactive_file', 'total_rss', 'hierarchical_memory_limit', 'pgfault']) {
    assert.equal(typeof s.memory_stats.stats[key], 'number', `memory_stats.stats.${key}`);
  }
  assert.equal(s.pids_stats.current, 1);
  assert.ok(Array.isArray(s.blkio_stats.io_service_bytes_recursive));

  const t0 = Date.now();
  const one = (await d.api('GET', '/v1.45/containers/busy/stats?stream=false&one-shot=true')).json as Record<string, any>;
  assert.ok(Date.now() - t0 < 900, 'one-shot does not wait');
  assert.equal(one.preread, '0001-01-01T00:00:00Z');
  assert.equal(one.precpu_stats.cpu_usage.total_usage, 0);
  assert.ok(one.cpu_stats.cpu_usage.total_usage > 0);

  const missing = await d.api('GET', '/v1.45/containers/nope/stats?stream=false');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json, { message: 'No such container: nope' });
});

test('streamed stats: one record per second, precpu_stats from the record before', async () => {
  const [a, b] = await streamRecords('/v1.45/containers/busy/stats', 2);
  const cpu = (r: Record<string, any>) => r.cpu_stats.cpu_usage.total_usage as number;
  assert.equal(a.preread, '0001-01-01T00:00:00Z');
  assert.equal(b.preread, a.read);
  assert.equal((b as any).precpu_stats.cpu_usage.total_usage, cpu(a));
  assert.ok(cpu(b) > cpu(a));
});

test('a stopped container gives Docker\'s zeroed record; docker stats -a lists it with zeros', async () => {
  const id = (await d.dockerOk(['create', '--name', 'idle', 'busybox', 'true'])).trim();
  const r = await d.api('GET', '/v1.45/containers/idle/stats?stream=false');
  assert.equal(r.status, 200);
  const s = r.json as Record<string, any>;
  assert.equal(s.read, '0001-01-01T00:00:00Z');
  assert.equal(s.name, '/idle');
  assert.equal(s.id, id);
  assert.deepEqual(s.memory_stats, {});
  assert.deepEqual(s.pids_stats, {});
  assert.equal(s.cpu_stats.cpu_usage.total_usage, 0);
  const out = await d.dockerOk(['stats', '--no-stream', '--format', '{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.PIDs}}', 'idle']);
  assert.equal(out, 'idle 0.00% 0B / 0B 0\n');
  const all = await d.dockerOk(['stats', '--no-stream', '-a', '--format', '{{.Name}}']);
  assert.deepEqual(all.split('\n').filter(Boolean).sort(), ['busy', 'idle']);
  const missing = await d.docker(['stats', '--no-stream', 'nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such container: nope/);
  await d.dockerOk(['rm', 'idle']);
});

test('Python SDK container.stats(stream=False) has the keys', async () => {
  const script = `
import docker, json, os
c = docker.DockerClient(base_url=os.environ['BERTH_TEST_URL'], timeout=60).containers.get('busy')
s = c.stats(stream=False)
print(json.dumps({'keys': sorted(s.keys()), 'mem': s['memory_stats']['usage'], 'cpu': s['cpu_stats']['cpu_usage']['total_usage']}))
`;
  const r = await d.run('python3', ['-c', script], { env: { BERTH_TEST_URL: d.dockerHost }, timeoutMs: 60_000 });
  assert.equal(r.code, 0, show('python3', ['-c', script], r));
  const v = JSON.parse(r.stdout) as { keys: string[]; mem: number; cpu: number };
  for (const k of ['blkio_stats', 'cpu_stats', 'id', 'memory_stats', 'name', 'num_procs', 'pids_stats', 'precpu_stats', 'preread', 'read', 'storage_stats']) {
    assert.ok(v.keys.includes(k), `missing ${k}: ${v.keys.join(',')}`);
  }
  assert.ok(v.mem > 0 && v.cpu > 0);
});

test('docker top lists the container\'s processes with ps columns', async () => {
  const out = await d.dockerOk(['top', 'busy']);
  const lines = out.trim().split('\n');
  assert.match(lines[0], /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
  assert.equal(lines.length, 2, out);
  assert.match(lines[1], /sh -c while :; do :; done$/);
  const pid = (await d.dockerOk(['inspect', '-f', '{{.State.Pid}}', 'busy'])).trim();
  assert.equal(lines[1].split(/\s+/)[1], pid);

  const custom = await d.dockerOk(['top', 'busy', '-o', 'pid,comm']);
  assert.deepEqual(custom.trim().split('\n').map((l) => l.split(/\s+/)), [['PID', 'COMMAND'], [pid, 'sh']]);

  const api = await d.api('GET', '/v1.45/containers/busy/top?ps_args=aux');
  assert.equal(api.status, 200);
  const body = api.json as { Titles: string[]; Processes: string[][] };
  assert.equal(body.Titles[1], 'PID');
  assert.equal(body.Processes.length, 1);
  assert.equal(body.Processes[0].length, body.Titles.length);

  await d.dockerOk(['create', '--name', 'idle2', 'busybox', 'true']);
  const id = (await d.dockerOk(['inspect', '-f', '{{.Id}}', 'idle2'])).trim();
  const stopped = await d.api('GET', '/v1.45/containers/idle2/top');
  assert.equal(stopped.status, 409);
  assert.deepEqual(stopped.json, { message: `Container ${id} is not running` });
  const cli = await d.docker(['top', 'idle2']);
  assert.equal(cli.code, 1);
  assert.match(cli.stderr, /Error response from daemon: Container [0-9a-f]{64} is not running/);
  await d.dockerOk(['rm', 'idle2']);

  const berth = await d.berthOk(['top', 'busy', '-o', 'pid,comm']);
  assert.equal(berth, custom);
});

test('docker update changes HostConfig and the live cgroup; Docker\'s validation errors', async () => {
  const r = await d.docker(['update', '--memory', '48m', '--memory-swap', '96m', '--cpus', '0.5', '--pids-limit', '40', '--cpu-shares', '512', 'busy']);
  assert.equal(r.code, 0, show('docker', ['update'], r));
  assert.equal(r.stdout, 'busy\n');
  const hc = JSON.parse(await d.dockerOk(['inspect', '-f', '{{json .HostConfig}}', 'busy'])) as Record<string, unknown>;
  assert.equal(hc.Memory, 48 * 1024 * 1024);
  assert.equal(hc.MemorySwap, 96 * 1024 * 1024);
  assert.equal(hc.NanoCpus, 5e8);
  assert.equal(hc.PidsLimit, 40);
  assert.equal(hc.CpuShares, 512);
  assert.equal(cgroupFile('memory', busyId, 'memory.limit_in_bytes'), String(48 * 1024 * 1024));
  if (fs.existsSync(path.join(MEMORY_V1, d.cgroupParent, busyId, 'memory.memsw.limit_in_bytes'))) {
    assert.equal(cgroupFile('memory', busyId, 'memory.memsw.limit_in_bytes'), String(96 * 1024 * 1024));
  }
  assert.equal(cgroupFile('cpu', busyId, 'cpu.cfs_quota_us'), '50000');
  assert.equal(cgroupFile('cpu', busyId, 'cpu.shares'), '512');
  assert.equal(cgroupFile('pids', busyId, 'pids.max'), '40');
  // The new limit shows in stats.
  const mem = await d.dockerOk(['stats', '--no-stream', '--format', '{{.MemUsage}}', 'busy']);
  assert.match(mem, / \/ 48MiB\n$/);

  const errors: Array<[string[], RegExp]> = [
    [['--memory', '3m'], /Minimum memory limit allowed is 6MB/],
    [['--memory', '100m', '--memory-swap', '50m'], /Minimum memoryswap limit should be larger than memory limit, see usage/],
    [['--memory', '200m'], /Cannot update container [0-9a-f]{64}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time/],
    [['--cpu-quota', '20000'], /Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set/],
    [['--blkio-weight', '5'], /Range of blkio weight is from 10 to 1000/],
  ];
  for (const [flags, message] of errors) {
    const e = await d.docker(['update', ...flags, 'busy']);
    assert.equal(e.code, 1, show('docker', ['update', ...flags], e));
    assert.match(e.stderr, message);
  }
  // Nothing of the refused updates stuck.
  assert.equal(cgroupFile('memory', busyId, 'memory.limit_in_bytes'), String(48 * 1024 * 1024));
  assert.equal((await d.dockerOk(['inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.CpuQuota}}', 'busy'])).trim(), `${48 * 1024 * 1024} 0`);

  const raw = await d.api('POST', '/v1.45/containers/busy/update', { body: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } } });
  assert.equal(raw.status, 200);
  assert.deepEqual(raw.json, { Warnings: [] });
  assert.equal((await d.dockerOk(['inspect', '-f', '{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}', 'busy'])).trim(), 'on-failure:2');
  const bad = await d.api('POST', '/v1.45/containers/busy/update', { body: { Memory: 'lots' } });
  assert.equal(bad.status, 400);

  // berth update: same request path, Docker's output.
  assert.equal(await d.berthOk(['update', '--memory', '64m', '--memory-swap', '128m', 'busy']), 'busy\n');
  assert.equal(cgroupFile('memory', busyId, 'memory.limit_in_bytes'), String(64 * 1024 * 1024));
});

test('update of a stopped container is kept and applied at the next start', async () => {
  const id = (await d.dockerOk(['create', '--name', 'later', 'busybox', 'sleep', '30'])).trim();
  await d.dockerOk(['update', '--memory', '40m', '--memory-swap', '80m', '--pids-limit', '25', 'later']);
  await d.dockerOk(['start', 'later']);
  assert.equal(cgroupFile('memory', id, 'memory.limit_in_bytes'), String(40 * 1024 * 1024));
  assert.equal(cgroupFile('pids', id, 'pids.max'), '25');
  await d.dockerOk(['rm', '-f', 'later']);
});

test('resource flags of docker run reach the cgroup and the process', async () => {
  const script = 'cd /sys/fs/cgroup; cat memory/memory.limit_in_bytes memory/memory.soft_limit_in_bytes cpu/cpu.shares cpu/cpu.cfs_period_us cpu/cpu.cfs_quota_us cpuset/cpuset.cpus pids/pids.max /proc/self/oom_score_adj; df -k /dev/shm | tail -1; ulimit -n';
  const r = await d.docker(['run', '--rm', '--memory', '64m', '--memory-swap', '96m', '--memory-reservation', '32m', '--cpu-shares', '256',
    '--cpu-period', '50000', '--cpu-quota', '25000', '--cpuset-cpus', '0', '--pids-limit', '30', '--oom-score-adj', '300',
    '--shm-size', '8m', '--ulimit', 'nofile=1024:2048', 'busybox', 'sh', '-c', script]);
  assert.equal(r.code, 0, show('docker', ['run'], r));
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines.slice(0, 8), [String(64 << 20), String(32 << 20), '256', '50000', '25000', '0', '30', '300']);
  assert.match(lines[8], /^shm\s+8192\s/);
  assert.equal(lines[9], '1024');
  const cpus = await d.docker(['run', '--rm', '--cpus', '1.5', 'busybox', 'cat', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us']);
  assert.equal(cpus.stdout, '150000\n');
});

test('a ulimit above the host hard limit is refused at create with a 400', async () => {
  const hard = hostHardLimits().get('nofile');
  if (hard === undefined || hard >= Number.MAX_SAFE_INTEGER) return; // nothing to exceed
  const before = (await d.dockerOk(['ps', '-aq'])).trim();
  const over = `nofile=${hard + 1}:${hard + 1}`;
  for (const [verb, code] of [['create', 1], ['run', 125]] as const) {
    const r = await d.docker([verb, '--ulimit', over, 'busybox', 'true']);
    assert.equal(r.code, code, show('docker', [verb], r));
    assert.match(r.stderr, new RegExp(`Error response from daemon: invalid ulimit ${over}: hard limit ${hard + 1} is above the daemon's hard limit ${hard}`));
  }
  const api = await d.api('POST', '/v1.45/containers/create', { body: { Image: 'busybox', HostConfig: { Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: -1 }] } } });
  assert.equal(api.status, 400);
  if (!canRaiseHardLimits()) {
    // Likewise an oom_score_adj below berthd's own, which only CAP_SYS_RESOURCE may set.
    const own = Number(fs.readFileSync(`/proc/${d.pid}/oom_score_adj`, 'utf8'));
    if (own > -1000) {
      const r = await d.docker(['run', '--rm', '--oom-score-adj', String(own - 1), 'busybox', 'true']);
      assert.equal(r.code, 125);
      assert.match(r.stderr, /Invalid value -?\d+ for oom score adj: it is below the daemon's own value/);
    }
  }
  assert.equal((await d.dockerOk(['ps', '-aq'])).trim(), before, 'no container was created');
});

test('a container over its memory limit is OOM-killed: OOMKilled and an oom event before die', async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  const r = await d.docker(['run', '--name', 'hog', '--memory', '32m', 'busybox', 'sh', '-c', 'x=$(head -c 100000000 /dev/zero | tr "\\0" a); echo survived']);
  assert.equal(r.code, 137, show('docker', ['run', 'hog'], r));
  assert.doesNotMatch(r.stdout, /survived/);
  const state = (await d.dockerOk(['inspect', '-f', '{{.State.OOMKilled}} {{.State.ExitCode}} {{.State.Status}}', 'hog'])).trim();
  assert.equal(state, 'true 137 exited');
  const id = (await d.dockerOk(['inspect', '-f', '{{.Id}}', 'hog'])).trim();
  const until = Math.ceil(Date.now() / 1000) + 1;
  const events = (await d.dockerOk(['events', '--since', String(since), '--until', String(until), '--filter', `container=${id}`, '--format', '{{.Action}}']))
    .split('\n').filter(Boolean);
  const oom = events.indexOf('oom');
  assert.ok(oom >= 0 && oom < events.indexOf('die'), `events: ${events.join(' ')}`);
  // conmon's cwd-relative "oom" marker lands in the bundle, not in berthd's working directory.
  assert.ok(fs.existsSync(path.join(d.dataRoot, 'containers', id, 'bundle', 'oom')));
  const stray = path.join(process.cwd(), 'oom');
  assert.ok(!fs.existsSync(stray) || fs.statSync(stray).mtimeMs < since * 1000, `stray ${stray}`);

  await d.dockerOk(['rm', 'hog']);
  // Staying below the limit is not an OOM kill.
  const ok = await d.docker(['run', '--rm', '--memory', '32m', 'busybox', 'dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1M', 'count=4']);
  assert.equal(ok.code, 0, show('docker', ['run', 'dd'], ok));
});

test('berth stats --no-stream prints Docker\'s table', async () => {
  const out = await d.berthOk(['stats', '--no-stream']);
  const [header, ...rows] = out.trim().split('\n');
  assert.match(header, /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
  assert.equal(rows.length, 1);
  assert.match(rows[0], new RegExp(`^${busyId.slice(0, 12)}\\s+busy\\s+\\d+\\.\\d\\d%\\s+[\\d.]+[KM]iB / 64MiB\\s+\\d+\\.\\d\\d%\\s+0B / 0B\\s+\\S+ / \\S+\\s+1$`));
  const json = JSON.parse(await d.berthOk(['stats', '--no-stream', '--no-trunc', '--format', 'json', 'busy'])) as Record<string, string>;
  assert.deepEqual(Object.keys(json).sort(), ['BlockIO', 'CPUPerc', 'Container', 'ID', 'MemPerc', 'MemUsage', 'Name', 'NetIO', 'PIDs']);
  assert.equal(json.ID, busyId);
  assert.equal(json.Container, 'busy');
  const missing = await d.berth(['stats', '--no-stream', 'nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Error response from daemon: No such container: nope/);
});

test('live stats tables (docker and berth CLIs) redraw in place with real values', async () => {
  for (const run of [(a: string[]) => d.docker(a, { timeoutMs: 3500 }), (a: string[]) => d.berth(a, { timeoutMs: 3500 })]) {
    const r = await run(['stats', 'busy']);
    assert.ok(r.timedOut, 'streams until interrupted');
    const frames = r.stdout.split('\x1b[H').filter((f) => f.includes('CONTAINER ID'));
    assert.ok(frames.length >= 3, `frames: ${frames.length}\n${r.stderr}`);
    const row = frames[frames.length - 1].split('\n').find((l) => l.startsWith(busyId.slice(0, 12)));
    assert.ok(row, frames[frames.length - 1]);
    assert.match(row, /busy\s+\d+\.\d\d%\s+[\d.]+[KM]iB \/ [\d.]+[KMG]iB\s+\d+\.\d\d%\s+0B \/ 0B\s+\S+ \/ \S+\s+1 \x1b\[K$/, 'Docker 28 ends lines with " \\x1b[K"');
  }
});
