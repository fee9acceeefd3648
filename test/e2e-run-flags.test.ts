// docker run flags end to end against berthd: --init (PID 1, zombie reaping, signal
// forwarding), --read-only, --tmpfs, --cap-add/--cap-drop, --privileged, --device,
// --group-add, --security-opt no-new-privileges, --env-file, -t without -i, --oom-score-adj.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startDaemon, delay, type TestDaemon } from './helpers';
import { parseArgs } from '../src/daemon/flags';
import { buildCapabilities } from '../src/runtime/spec/process';

let d: TestDaemon;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

const run = (args: string[]) => d.dockerOk(['run', '--rm', ...args]);

/** CapEff as the kernel prints it for a capability list (the host may lack some, e.g. CAP_SYS_RESOURCE). */
function capMask(names: string[]): bigint {
  const order = ['CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE',
    'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE',
    'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE',
    'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
    'CHECKPOINT_RESTORE'];
  let mask = 0n;
  for (const n of names) {
    const bit = order.indexOf(n.replace(/^CAP_/, ''));
    if (bit >= 0) mask |= 1n << BigInt(bit);
  }
  return mask;
}

const hostBounding = BigInt('0x' + (/CapBnd:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0'));

async function capEff(args: string[]): Promise<bigint> {
  const out = await run([...args, 'busybox', 'grep', 'CapEff', '/proc/1/status']);
  return BigInt('0x' + (/CapEff:\s*([0-9a-f]+)/.exec(out)?.[1] ?? 'x'));
}

test('--init: PID 1 is docker-init running the original command', async () => {
  const out = await run(['--init', 'busybox', 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "; echo; cat /proc/1/comm']);
  assert.equal(out, '/sbin/docker-init -- sh -c cat /proc/1/cmdline | tr "\\0" " "; echo; cat /proc/1/comm \ndocker-init\n');
  const id = (await d.dockerOk(['create', '--init', 'busybox', 'sleep', '1'])).trim();
  assert.equal((await d.dockerOk(['inspect', '-f', '{{.HostConfig.Init}} {{.Path}} {{json .Args}}', id])).trim(), 'true sleep ["1"]');
  await d.dockerOk(['rm', id]);
  const noInit = await run(['busybox', 'cat', '/proc/1/comm']);
  assert.equal(noInit, 'cat\n');
});

function zombieChildren(parentPid: number): number {
  let n = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' && Number(fields[1]) === parentPid) n++;
    } catch { /* gone */ }
  }
  return n;
}

test('--init reaps orphaned zombies (and without it they stay)', async () => {
  // The subshell's sleep is orphaned and re-parented to PID 1; `exec sleep` as PID 1 never reaps.
  const script = '(sleep 0.1 &); exec sleep 30';
  await d.dockerOk(['run', '-d', '--name', 'with-init', '--init', 'busybox', 'sh', '-c', script]);
  await d.dockerOk(['run', '-d', '--name', 'without-init', 'busybox', 'sh', '-c', script]);
  await delay(700);
  const pidWith = Number((await d.dockerOk(['inspect', '-f', '{{.State.Pid}}', 'with-init'])).trim());
  const pidWithout = Number((await d.dockerOk(['inspect', '-f', '{{.State.Pid}}', 'without-init'])).trim());
  assert.equal(readFileSync(`/proc/${pidWith}/comm`, 'utf8').trim(), 'docker-init');
  assert.equal(zombieChildren(pidWithout), 1, 'control: a zombie under a PID 1 that does not reap');
  assert.equal(zombieChildren(pidWith), 0, 'docker-init reaped it');
});

test('--init forwards SIGTERM: docker stop is fast', async () => {
  // sleep as PID 1 ignores SIGTERM (no handler); under docker-init it is an ordinary process.
  const started = Date.now();
  await d.dockerOk(['stop', '-t', '8', 'with-init']);
  assert.ok(Date.now() - started < 4000, `stop took ${Date.now() - started} ms`);
  assert.equal((await d.dockerOk(['inspect', '-f', '{{.State.ExitCode}}', 'with-init'])).trim(), '143');
  await d.dockerOk(['rm', '-f', 'with-init', 'without-init']);
});

test('daemon --init / --init-path flags', () => {
  const { config } = parseArgs(['--init', '--init-path', '/usr/bin/tini-static']);
  assert.equal(config.init, true);
  assert.equal(config.initPath, '/usr/bin/tini-static');
  assert.equal(parseArgs([]).config.init, false);
});

test('--read-only: the rootfs and /tmp refuse writes unless --tmpfs', async () => {
  const ro = await d.docker(['run', '--rm', '--read-only', 'busybox', 'sh', '-c', 'touch /x; touch /tmp/y; echo hosts >> /etc/hosts; echo done']);
  assert.equal(ro.code, 0, ro.stderr);
  assert.equal(ro.stdout, 'done\n');
  assert.equal((ro.stderr.match(/Read-only file system/g) ?? []).length, 3, ro.stderr);
  assert.equal(await run(['--read-only', '--tmpfs', '/tmp', 'busybox', 'sh', '-c', 'touch /tmp/y && echo ok']), 'ok\n');
  assert.equal(await run(['busybox', 'sh', '-c', 'touch /x && echo writable']), 'writable\n');
});

test('--tmpfs with size and mode options', async () => {
  const out = await run(['--tmpfs', '/run:size=1m,mode=1777', 'busybox', 'sh', '-c', 'grep " /run " /proc/mounts; stat -c %a /run']);
  const [mount, mode] = out.trim().split('\n');
  assert.match(mount, /^tmpfs \/run tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k/);
  assert.equal(mode, '1777');
});

test('--cap-add / --cap-drop (with and without CAP_, ALL) in CapEff', async () => {
  const defaults = capMask(buildCapabilities(false, [], []).effective) & hostBounding;
  assert.equal(await capEff([]), defaults);
  assert.equal(await capEff(['--cap-drop', 'ALL']), 0n);
  assert.equal(await capEff(['--cap-drop', 'ALL', '--cap-add', 'NET_ADMIN']), capMask(['NET_ADMIN']));
  assert.equal(await capEff(['--cap-drop', 'all', '--cap-add', 'cap_net_raw']), capMask(['NET_RAW']));
  assert.equal(await capEff(['--cap-add', 'CAP_SYS_ADMIN', '--cap-drop', 'chown']), (defaults | capMask(['SYS_ADMIN'])) & ~capMask(['CHOWN']));
  assert.equal(await capEff(['--cap-add', 'ALL']), hostBounding);
  const bad = await d.docker(['run', '--rm', '--cap-add', 'BOGUS', 'busybox', 'true']);
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /unknown capability: "CAP_BOGUS"/);
});

test('--privileged: every capability, host devices, writable /sys', async () => {
  assert.equal(await capEff(['--privileged']), hostBounding);
  const out = await run(['--privileged', 'busybox', 'sh', '-c', 'grep " /sys " /proc/mounts; test -c /dev/kmsg && echo kmsg; ls /dev | wc -l']);
  const [sys, kmsg, count] = out.trim().split('\n');
  assert.match(sys, /^sysfs \/sys sysfs rw,/);
  assert.equal(kmsg, 'kmsg');
  assert.ok(Number(count) > 30, `host devices: ${count}`);
  const plain = await run(['busybox', 'sh', '-c', 'grep " /sys " /proc/mounts; test -e /dev/kmsg || echo no-kmsg']);
  assert.match(plain, /^sysfs \/sys sysfs ro,/);
  assert.match(plain, /no-kmsg/);
});

test('--device maps a host device under a new name (rwm by default)', async () => {
  const out = await run(['--device', '/dev/null:/dev/mynull', 'busybox', 'sh', '-c', 'stat -c "%t,%T %F" /dev/mynull; echo x > /dev/mynull && echo written']);
  assert.equal(out, '1,3 character special file\nwritten\n');
  // /dev/loop0 is not in the default allow list: "r" only lets read opens through the device cgroup.
  const probe = '(: < /dev/myloop) && echo read; (: > /dev/myloop) && echo write || echo denied';
  const ro = await d.docker(['run', '--rm', '--device', '/dev/loop0:/dev/myloop:r', 'busybox', 'sh', '-c', probe]);
  assert.equal(ro.stdout, 'read\ndenied\n', ro.stderr);
  assert.match(ro.stderr, /Operation not permitted/);
  const rw = await d.docker(['run', '--rm', '--device', '/dev/loop0:/dev/myloop', 'busybox', 'sh', '-c', probe]);
  assert.equal(rw.stdout, 'read\nwrite\n', rw.stderr);
  const bad = await d.docker(['run', '--rm', '--device', '/dev/null:rel', 'busybox', 'true']);
  assert.notEqual(bad.code, 0);
});

test('--group-add, --security-opt no-new-privileges, --oom-score-adj', async () => {
  assert.match(await run(['--group-add', '1234', '--group-add', 'nogroup', 'busybox', 'id']), /groups=0\(root\),1234,65534\(nogroup\)/);
  assert.equal(await run(['--security-opt', 'no-new-privileges', 'busybox', 'grep', 'NoNewPrivs', '/proc/self/status']), 'NoNewPrivs:\t1\n');
  assert.equal(await run(['busybox', 'grep', 'NoNewPrivs', '/proc/self/status']), 'NoNewPrivs:\t0\n');
  assert.equal(await run(['--oom-score-adj', '500', 'busybox', 'cat', '/proc/1/oom_score_adj']), '500\n');
  const bad = await d.docker(['run', '--rm', '--oom-score-adj', '2000', 'busybox', 'true']);
  assert.match(bad.stderr, /Invalid value 2000, range for oom score adj is \[-1000, 1000\]/);
});

test('--env-file with comments, bare names and values kept verbatim (docker and berth CLIs)', async () => {
  const file = path.join(d.tmpRoot, 'env.list');
  writeFileSync(file, '# a comment\nA=1\n  B=two words  \nFROM_CLI\nUNSET_NAME\n\nC==x\n');
  const env = { FROM_CLI: 'yes', UNSET_NAME: undefined };
  for (const cli of ['docker', 'berth'] as const) {
    const r = await d[cli](['run', '--rm', '--env-file', file, 'busybox', 'env'], { env });
    assert.equal(r.code, 0, r.stderr);
    const vars = r.stdout.split('\n').filter((l) => /^(A|B|C|FROM_CLI|UNSET_NAME)=/.test(l)).sort();
    assert.deepEqual(vars, ['A=1', 'B=two words  ', 'C==x', 'FROM_CLI=yes'], cli);
  }
  writeFileSync(file, 'BAD KEY=1\n');
  for (const cli of ['docker', 'berth'] as const) {
    const r = await d[cli](['run', '--rm', '--env-file', file, 'busybox', 'true']);
    assert.equal(r.code, 125, cli);
    assert.match(r.stderr, /invalid env file \(.*env\.list\): variable 'BAD KEY' contains whitespaces/, cli);
  }
});

test('-t without -i: a terminal, CRLF output, stdin not opened', async () => {
  const r = await d.docker(['run', '--rm', '-t', 'busybox', 'sh', '-c', 'tty; echo out; echo err >&2']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '/dev/pts/0\r\nout\r\nerr\r\n', 'one stream through the terminal');
  const inspect = await d.dockerOk(['run', '-d', '-t', 'busybox', 'true']);
  assert.equal((await d.dockerOk(['inspect', '-f', '{{.Config.Tty}} {{.Config.OpenStdin}} {{.Config.AttachStdin}}', inspect.trim()])).trim(), 'true false false');
});

test('docker kill (SIGKILL) returns once the container is stopped, as dockerd', async () => {
  for (let i = 0; i < 5; i++) {
    const id = (await d.dockerOk(['run', '-d', 'busybox', 'sleep', '1000'])).trim();
    assert.equal((await d.api('POST', `/v1.45/containers/${id}/kill`)).status, 204);
    const state = (await d.api('GET', `/v1.45/containers/${id}/json`)).json as { State: { Status: string; ExitCode: number } };
    assert.deepEqual([state.State.Status, state.State.ExitCode], ['exited', 137]);
    await d.dockerOk(['rm', id]);
  }
});
