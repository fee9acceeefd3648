// OCI spec generation without running anything: Docker's defaults and HostConfig mapping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSpec, resolveUser, secureJoin, serializeSpec, DEFAULT_CAPABILITIES, type SpecInput } from '../src/runtime';
import { buildHostConfig, buildConfig, entrypointAndArgs } from '../src/container/config-merge';
import { buildResolvConf, buildHosts } from '../src/container/etc-files';
import { parseLogLine, PartialJoiner } from '../src/container/log-file';
import { parseSignal } from '../src/container/signals';
import { parseTimestamp } from '../src/container/filters';
import type { HostConfig } from '../src/container/types';
import { GROUP, PASSWD } from './container-fixtures';

let root: string;
before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-spec-'));
  fs.mkdirSync(path.join(root, 'etc'));
  fs.writeFileSync(path.join(root, 'etc/passwd'), PASSWD);
  fs.writeFileSync(path.join(root, 'etc/group'), GROUP);
});
after(() => { fs.rmSync(root, { recursive: true, force: true }); });

function input(hc: Partial<HostConfig> = {}, cfg: Record<string, unknown> = {}): SpecInput {
  const hostConfig = buildHostConfig(hc, 'host');
  const config = buildConfig({ config: { Image: 'busybox', Cmd: ['sh'], ...cfg } }, { Env: ['PATH=/bin'] }, 'a'.repeat(64), hostConfig);
  const { path: p, args } = entrypointAndArgs(config);
  return { id: 'a'.repeat(64), rootfs: root, path: p, args, config, hostConfig, hostsPath: '/x/hosts', hostnamePath: '/x/hostname', resolvConfPath: '/x/resolv.conf', cgroupParent: 'berth' };
}

test('defaults: caps, namespaces, masks, mounts, devices, cgroups path', () => {
  const { spec } = buildSpec(input());
  assert.deepEqual(spec.process.capabilities.bounding, [...DEFAULT_CAPABILITIES]);
  assert.deepEqual(spec.process.capabilities.inheritable, []);
  assert.equal(spec.process.noNewPrivileges, false);
  assert.deepEqual(spec.linux.namespaces.map((n) => n.type).sort(), ['ipc', 'mount', 'network', 'pid', 'uts']);
  assert.ok(spec.linux.maskedPaths?.includes('/proc/kcore') && spec.linux.maskedPaths.includes('/sys/firmware'));
  assert.deepEqual(spec.linux.readonlyPaths, ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']);
  assert.equal(spec.linux.cgroupsPath, `/berth/${'a'.repeat(64)}`);
  assert.deepEqual(spec.linux.resources.devices[0], { allow: false, access: 'rwm' });
  const shm = spec.mounts.find((m) => m.destination === '/dev/shm');
  assert.ok(shm?.options.includes('size=67108864'));
  assert.deepEqual(spec.mounts.slice(-3).map((m) => [m.destination, m.source]), [['/etc/resolv.conf', '/x/resolv.conf'], ['/etc/hostname', '/x/hostname'], ['/etc/hosts', '/x/hosts']]);
  assert.equal(spec.hostname, 'aaaaaaaaaaaa');
  assert.deepEqual(spec.process.env.slice(0, 2), ['PATH=/bin', 'HOSTNAME=aaaaaaaaaaaa']);
  assert.deepEqual(spec.process.user, { uid: 0, gid: 0, additionalGids: [0, 10] });
  assert.equal(spec.linux.sysctl?.['net.ipv4.ip_unprivileged_port_start'], '0');
});

test('host network, tty, resources, rlimit infinity', () => {
  const { spec } = buildSpec(input({ NetworkMode: 'host', Memory: 1 << 27, MemorySwap: -1, NanoCpus: 1.5e9, PidsLimit: -1, Ulimits: [{ Name: 'core', Soft: -1, Hard: -1 }] }, { Tty: true }));
  assert.ok(!spec.linux.namespaces.some((n) => n.type === 'network'));
  assert.deepEqual(spec.linux.sysctl, {});
  assert.ok(spec.process.env.includes('TERM=xterm'));
  assert.equal(spec.process.terminal, true);
  assert.deepEqual(spec.linux.resources.memory, { limit: 1 << 27, swap: -1 });
  assert.deepEqual(spec.linux.resources.cpu, { period: 100000, quota: 150000 });
  assert.deepEqual(spec.linux.resources.pids, { limit: -1 });
  const json = serializeSpec(spec);
  assert.match(json, /"type":"RLIMIT_CORE","hard":18446744073709551615,"soft":18446744073709551615/);
});

test('user resolution: names, numeric ids, groups, errors', () => {
  assert.deepEqual(resolveUser(root, 'alice'), { uid: 1000, gid: 1000, home: '/home/alice', additionalGids: [1000, 50] });
  assert.deepEqual(resolveUser(root, 'alice:wheel'), { uid: 1000, gid: 10, home: '/home/alice', additionalGids: [10] });
  assert.deepEqual(resolveUser(root, '4242:4343'), { uid: 4242, gid: 4343, home: '/', additionalGids: [4343] });
  assert.deepEqual(resolveUser(root, '1000', ['staff', '77']).additionalGids, [1000, 50, 77]);
  assert.throws(() => resolveUser(root, 'bob'), { message: 'unable to find user bob: no matching entries in passwd file' });
  assert.throws(() => resolveUser(root, 'alice:nogrp'), { message: 'unable to find group nogrp: no matching entries in group file' });
});

test('secureJoin never leaves the rootfs', () => {
  fs.symlinkSync('/../../../etc', path.join(root, 'evil'));
  fs.symlinkSync('../../..', path.join(root, 'up'));
  assert.equal(secureJoin(root, '/evil/shadow'), path.join(root, 'etc/shadow'));
  assert.equal(secureJoin(root, '/up/etc/passwd'), path.join(root, 'etc/passwd'));
  assert.equal(secureJoin(root, '../../etc/passwd'), path.join(root, 'etc/passwd'));
});

test('config merge and /etc files', () => {
  const hc = buildHostConfig({ Dns: ['1.1.1.1'], DnsSearch: ['example.org'], ExtraHosts: ['db:10.0.0.2'] }, 'host');
  assert.equal(buildResolvConf(hc), 'search example.org\nnameserver 1.1.1.1\n');
  assert.doesNotMatch(buildResolvConf(buildHostConfig({}, 'host')), /nameserver 127\./);
  const hosts = buildHosts({ Hostname: 'h', Domainname: '' }, hc);
  assert.match(hosts, /^127\.0\.0\.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n/);
  assert.match(hosts, /^10\.0\.0\.2\tdb$/m);
  const cfg = buildConfig({ config: { Image: 'x', Entrypoint: ['/entry'], Cmd: null, Env: ['A=1', 'PATH=/mine'] } }, { Cmd: ['img-cmd'], Entrypoint: ['/img'], Env: ['PATH=/img', 'B=2'] }, 'b'.repeat(64), hc);
  assert.deepEqual(entrypointAndArgs(cfg), { path: '/entry', args: [] });
  assert.deepEqual(cfg.Env, ['A=1', 'PATH=/mine', 'B=2']);
  assert.equal(cfg.Hostname, 'bbbbbbbbbbbb');
});

test('k8s-file lines, signals, timestamps', () => {
  const rec = parseLogLine(Buffer.from('2024-01-01T00:00:00.123456789+00:00 stderr F hello world'));
  assert.deepEqual(rec && { ...rec, data: rec.data.toString() }, { time: '2024-01-01T00:00:00.123456789+00:00', stream: 'stderr', partial: false, data: 'hello world\n' });
  const empty = parseLogLine(Buffer.from('2024-01-01T00:00:00Z stdout F '));
  assert.equal(empty?.data.toString(), '\n');
  const j = new PartialJoiner();
  assert.equal(j.add(parseLogLine(Buffer.from('t1 stdout P ab'))!), undefined);
  assert.equal(j.add(parseLogLine(Buffer.from('t2 stdout F cd'))!)?.data.toString(), 'abcd\n');
  assert.equal(parseLogLine(Buffer.from('garbage')), undefined);
  assert.equal(parseSignal('SIGTERM'), 15);
  assert.equal(parseSignal('kill'), 9);
  assert.equal(parseSignal('10'), 10);
  assert.equal(parseSignal('RTMIN+1'), 35);
  assert.throws(() => parseSignal('SIGFOO'), { message: 'Invalid signal: SIGFOO' });
  assert.equal(parseTimestamp('1700000000'), 1700000000);
  assert.ok(Math.abs(parseTimestamp('1h', 3600_000 * 10) - 3600 * 9) < 1e-6);
  assert.equal(parseTimestamp('2024-01-01T00:00:00Z'), 1704067200);
  assert.throws(() => parseTimestamp('yesterday'), { kind: 'invalid-argument' });
});
