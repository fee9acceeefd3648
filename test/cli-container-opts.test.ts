// Unit tests: run/create flags → the container create request.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFlags } from '../src/cli/flags';
import { CONTAINER_FLAGS, RUN_ONLY_FLAGS, buildCreatePlan } from '../src/cli/container-opts';
import { addPublish, type PortConfig } from '../src/cli/container-opts/ports';
import { parseNanoCpus, parseRestartPolicy, parseUlimit } from '../src/cli/container-opts/values';
import { familiarTagged } from '../src/cli/container-opts/create';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-opts-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function plan(argv: string[], mode: 'run' | 'create' = 'run') {
  const defs = mode === 'run' ? [...CONTAINER_FLAGS, ...RUN_ONLY_FLAGS] : CONTAINER_FLAGS;
  const r = parseFlags(defs, argv, { interspersed: false });
  return buildCreatePlan(r.flags, r.args, mode);
}

test('defaults: attach stdout/stderr, no cmd, default network, restart "no"', () => {
  const p = plan(['busybox']);
  assert.equal(p.body.Image, 'busybox');
  assert.equal(p.body.Cmd, null);
  assert.equal(p.body.Entrypoint, null);
  assert.deepEqual(p.attach, { stdin: false, stdout: true, stderr: true });
  assert.equal(p.body.HostConfig?.NetworkMode, 'default');
  assert.deepEqual(p.body.HostConfig?.RestartPolicy, { Name: 'no', MaximumRetryCount: 0 });
  assert.equal(p.body.HostConfig?.Memory, undefined);
  assert.equal(p.pull, 'missing');
});

test('-d detaches every stream; -i attaches stdin and sets StdinOnce for run', () => {
  assert.deepEqual(plan(['-d', 'busybox']).attach, { stdin: false, stdout: false, stderr: false });
  const it = plan(['-it', 'busybox', 'sh']);
  assert.equal(it.body.Tty, true);
  assert.equal(it.body.OpenStdin, true);
  assert.equal(it.body.StdinOnce, true);
  assert.equal(plan(['-i', 'busybox'], 'create').body.StdinOnce, false);
  assert.throws(() => plan(['-d', '-a', 'stdout', 'busybox']), /conflicting options: cannot specify both --attach and --detach/);
  assert.deepEqual(plan(['-a', 'STDERR', 'busybox']).attach, { stdin: false, stdout: false, stderr: true });
});

test('env and label files, bare env names from the CLI environment', () => {
  const envFile = path.join(dir, 'env');
  fs.writeFileSync(envFile, '# comment\n\nA=1\n  B=two words\nBERTH_TEST_FROM_ENV\nUNSET_BERTH_VAR\n');
  const labelFile = path.join(dir, 'labels');
  fs.writeFileSync(labelFile, 'x=1\nflag\n');
  process.env.BERTH_TEST_FROM_ENV = 'yes';
  const p = plan(['--env-file', envFile, '-e', 'C=3', '-e', 'BERTH_TEST_FROM_ENV', '--label-file', labelFile, '-l', 'y=2', 'busybox']);
  assert.deepEqual(p.body.Env, ['A=1', 'B=two words', 'BERTH_TEST_FROM_ENV=yes', 'C=3', 'BERTH_TEST_FROM_ENV=yes']);
  assert.deepEqual(p.body.Labels, { x: '1', flag: '', y: '2' });
  assert.throws(() => plan(['--env-file', path.join(dir, 'missing'), 'busybox']), /ENOENT|no such file/);
});

test('resources, restart policy, entrypoint, stop settings', () => {
  const p = plan(['-m', '1g', '--memory-swap', '-1', '--cpus', '0.5', '--pids-limit', '-1', '--restart', 'on-failure:3',
    '--entrypoint', '/bin/sh', '--stop-signal', 'SIGUSR1', '--stop-timeout', '0', '-w', '/tmp', '-u', '1000:1000',
    '-h', 'box', '--network', 'host', '--init', '--read-only', '--cap-add', 'NET_ADMIN', 'busybox', '-c', 'echo']);
  const h = p.body.HostConfig!;
  assert.equal(h.Memory, 1024 ** 3);
  assert.equal(h.MemorySwap, -1);
  assert.equal(h.NanoCpus, 500_000_000);
  assert.equal(h.PidsLimit, -1);
  assert.deepEqual(h.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.equal(h.NetworkMode, 'host');
  assert.equal(h.Init, true);
  assert.equal(h.ReadonlyRootfs, true);
  assert.deepEqual(h.CapAdd, ['NET_ADMIN']);
  assert.deepEqual(p.body.Entrypoint, ['/bin/sh']);
  assert.deepEqual(p.body.Cmd, ['-c', 'echo']);
  assert.equal(p.body.StopSignal, 'SIGUSR1');
  assert.equal(p.body.StopTimeout, 0);
  assert.equal(p.body.WorkingDir, '/tmp');
  assert.equal(p.body.User, '1000:1000');
  assert.equal(p.body.Hostname, 'box');
});

test('value parsers follow Docker', () => {
  assert.equal(parseNanoCpus('1.5'), 1_500_000_000);
  assert.throws(() => parseNanoCpus('abc'), /failed to parse abc as a rational number/);
  assert.throws(() => parseNanoCpus('0.0000000001'), /value is too precise/);
  assert.deepEqual(parseRestartPolicy('always'), { Name: 'always', MaximumRetryCount: 0 });
  assert.throws(() => parseRestartPolicy(':3'), /no policy provided before colon/);
  assert.throws(() => parseRestartPolicy('on-failure:x'), /maximum retry count must be an integer/);
  assert.deepEqual(parseUlimit('nofile=1024:2048'), { Name: 'nofile', Soft: 1024, Hard: 2048 });
  assert.throws(() => parseUlimit('nofile'), /invalid ulimit argument/);
  assert.throws(() => plan(['--rm', '--restart', 'unless-stopped', 'busybox']), /cannot specify both --restart and --rm/);
  assert.throws(() => plan(['--pull', 'sometimes', 'busybox']), /invalid pull option/);
});

test('published and exposed ports', () => {
  const cfg: PortConfig = { exposed: {}, bindings: {} };
  addPublish(cfg, '8080:80');
  addPublish(cfg, '127.0.0.1:5353:53/udp');
  addPublish(cfg, '9000-9001:7000-7001');
  addPublish(cfg, '443');
  assert.deepEqual(Object.keys(cfg.exposed).sort(), ['443/tcp', '53/udp', '7000/tcp', '7001/tcp', '80/tcp']);
  assert.deepEqual(cfg.bindings['80/tcp'], [{ HostIp: '', HostPort: '8080' }]);
  assert.deepEqual(cfg.bindings['53/udp'], [{ HostIp: '127.0.0.1', HostPort: '5353' }]);
  assert.deepEqual(cfg.bindings['7001/tcp'], [{ HostIp: '', HostPort: '9001' }]);
  assert.deepEqual(cfg.bindings['443/tcp'], [{ HostIp: '', HostPort: '' }]);
  assert.throws(() => addPublish(cfg, '80/xyz'), /invalid proto/);
  const p = plan(['-p', '8080:80', '--expose', '90-91', 'busybox']);
  assert.deepEqual(Object.keys(p.body.ExposedPorts ?? {}).sort(), ['80/tcp', '90/tcp', '91/tcp']);
});

test('familiar references for "Unable to find image"', () => {
  assert.equal(familiarTagged('busybox'), 'busybox:latest');
  assert.equal(familiarTagged('docker.io/library/busybox:1.36'), 'busybox:1.36');
  assert.equal(familiarTagged('localhost:5000/app'), 'localhost:5000/app:latest');
  assert.equal(familiarTagged('b'.repeat(64)), undefined);
});
