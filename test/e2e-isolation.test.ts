// What a process sees inside a berth container, checked through the docker CLI: its own
// PID and UTS namespaces, a private writable rootfs, Docker's default capabilities,
// masked and read-only kernel paths, and the network namespace per NetworkMode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, describe as show, type TestDaemon } from './helpers';

let d: TestDaemon;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

// Docker's default capability set (CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID
// SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP).
const DOCKER_DEFAULT_CAPS = '00000000a80425fb';

/** `docker run --rm <args>`; asserts exit 0 and returns stdout. */
async function inside(args: string[]): Promise<string> {
  const r = await d.docker(['run', '--rm', ...args]);
  assert.equal(r.code, 0, show('docker', ['run', '--rm', ...args], r));
  return r.stdout;
}

function mountOptions(mounts: string, target: string): string[] {
  const line = mounts.split('\n').find((l) => l.split(' ')[1] === target);
  assert.ok(line, `${target} is mounted:\n${mounts}`);
  return line.split(' ')[3].split(',');
}

function procStatus(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').filter(Boolean).map((l) => l.split(/:\s*/, 2) as [string, string]));
}

test('PID 1 is the command and only its processes are visible', async () => {
  assert.equal(await inside(['busybox', 'sh', '-c', 'echo $$']), '1\n');
  assert.equal(await inside(['busybox', 'cat', '/proc/1/cmdline']), 'cat\0/proc/1/cmdline\0');
  const pids = (await inside(['busybox', 'sh', '-c', 'ls /proc | grep -E "^[0-9]+$"'])).split('\n').filter(Boolean).map(Number);
  assert.ok(pids.includes(1) && pids.every((pid) => pid < 50), `pids: ${pids.join(' ')}`);
});

test('hostname is the short container ID, or --hostname', async () => {
  const id = (await d.dockerOk(['create', 'busybox', 'sh', '-c', 'hostname; cat /etc/hostname; echo $HOSTNAME'])).trim();
  const out = await d.dockerOk(['start', '-a', id]);
  const short = id.slice(0, 12);
  assert.equal(out, `${short}\n${short}\n${short}\n`);
  assert.equal((await d.dockerOk(['inspect', '-f', '{{.Config.Hostname}}', id])).trim(), short);
  await d.dockerOk(['rm', id]);
  assert.equal(await inside(['--hostname', 'myhost', 'busybox', 'sh', '-c', 'hostname; grep -c myhost /etc/hosts']), 'myhost\n1\n');
  assert.match(await inside(['busybox', 'cat', '/etc/hosts']), /^127\.0\.0\.1\s+localhost/m);
  assert.equal(await inside(['busybox', 'sh', '-c', 'test -s /etc/resolv.conf && echo present']), 'present\n');
});

test('rootfs writes stay in the container', async () => {
  const script = 'cat /etc/marker 2>/dev/null || echo first; echo written > /etc/marker; rm -f /bin/ls';
  const first = await d.docker(['run', '--name', 'writer', 'busybox', 'sh', '-c', script]);
  assert.equal(first.stdout, 'first\n', show('docker', ['run', 'writer'], first));
  const id = (await d.dockerOk(['inspect', '-f', '{{.Id}}', 'writer'])).trim();
  // Another container from the same image sees the pristine image.
  assert.equal(await inside(['busybox', 'sh', '-c', 'test ! -e /etc/marker && test -e /bin/ls && echo clean']), 'clean\n');
  // The writer keeps its own changes across a restart.
  assert.equal(await d.dockerOk(['start', '-a', 'writer']), 'written\n');
  // On the host the file exists only below the writer's own directory.
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'marker' && path.basename(dir) === 'etc') found.push(p);
    }
  };
  walk(d.dataRoot);
  assert.ok(found.length >= 1 && found.every((p) => p.includes(id)), `marker files: ${found.join(', ')}`);
  await d.dockerOk(['rm', 'writer']);
});

test('capabilities are Docker\'s default set', async () => {
  const status = procStatus(await inside(['busybox', 'grep', '-E', '^(Cap|NoNewPrivs)', '/proc/self/status']));
  assert.equal(status.CapEff, DOCKER_DEFAULT_CAPS);
  assert.equal(status.CapPrm, DOCKER_DEFAULT_CAPS);
  assert.equal(status.CapBnd, DOCKER_DEFAULT_CAPS);
  assert.equal(status.CapInh, '0000000000000000');
  assert.equal(status.CapAmb, '0000000000000000');
  assert.equal(status.NoNewPrivs, '0');
  const nobody = procStatus(await inside(['-u', 'nobody', 'busybox', 'grep', '^Cap', '/proc/self/status']));
  assert.equal(nobody.CapEff, '0000000000000000');
  assert.equal(nobody.CapBnd, DOCKER_DEFAULT_CAPS);
  assert.match(await inside(['-u', 'nobody', 'busybox', 'id']), /^uid=65534\(nobody\) gid=65534/);
});

test('kernel files are masked and read-only as in Docker', async () => {
  // Masked files exist on the host and read empty inside (this kernel has no /proc/kcore).
  if (fs.existsSync('/proc/kcore')) assert.equal(await inside(['busybox', 'sh', '-c', 'wc -c < /proc/kcore']), '0\n');
  assert.equal(await inside(['busybox', 'sh', '-c', 'cat /proc/keys /proc/timer_list 2>/dev/null | wc -c']), '0\n');
  assert.equal(await inside(['busybox', 'sh', '-c', 'ls -A /sys/firmware | wc -l']), '0\n');
  const mounts = await inside(['busybox', 'cat', '/proc/mounts']);
  // runc skips read-only paths the host kernel lacks (this one has no /proc/sysrq-trigger).
  for (const ro of ['/sys', '/proc/sys', '/proc/sysrq-trigger', '/proc/irq', '/proc/bus'].filter((p) => fs.existsSync(p))) {
    assert.ok(mountOptions(mounts, ro).includes('ro'), `${ro} is read-only`);
  }
  assert.ok(mountOptions(mounts, '/').includes('rw'));
  assert.equal(await inside(['busybox', 'sh', '-c', 'touch /sys/x 2>/dev/null && echo writable || echo refused']), 'refused\n');
});

test('/dev holds the standard devices and mounts', async () => {
  const devs = (await inside(['busybox', 'ls', '/dev'])).split('\n');
  for (const dev of ['null', 'zero', 'full', 'random', 'urandom', 'tty', 'pts', 'shm', 'mqueue']) assert.ok(devs.includes(dev), `/dev/${dev}`);
  assert.equal(await inside(['busybox', 'sh', '-c', 'test -c /dev/null && echo x > /dev/null && head -c 4 /dev/zero | wc -c']), '4\n');
  const mounts = await inside(['busybox', 'cat', '/proc/mounts']);
  const fstype = (target: string): string | undefined => mounts.split('\n').find((l) => l.split(' ')[1] === target)?.split(' ')[2];
  assert.equal(fstype('/dev/pts'), 'devpts');
  assert.equal(fstype('/dev/shm'), 'tmpfs');
  assert.equal(fstype('/dev/mqueue'), 'mqueue');
  assert.equal(fstype('/proc'), 'proc');
});

test('network: none and default have only lo, host shares the host interfaces', async () => {
  assert.equal(await inside(['--network', 'none', 'busybox', 'ls', '/sys/class/net']), 'lo\n');
  assert.equal(await inside(['busybox', 'ls', '/sys/class/net']), 'lo\n');
  const ping = await d.docker(['run', '--rm', '--network', 'none', 'busybox', 'ping', '-c', '1', '-W', '2', '127.0.0.1']);
  assert.equal(ping.code, 0, show('docker', ['run', 'ping'], ping));
  const names = (text: string): string[] => text.split('\n').slice(2).map((l) => l.split(':')[0].trim()).filter(Boolean).sort();
  const hostIfaces = names(fs.readFileSync('/proc/net/dev', 'utf8'));
  assert.deepEqual(names(await inside(['--network', 'host', 'busybox', 'cat', '/proc/net/dev'])), hostIfaces);
});

test('cgroup limits from HostConfig apply', async () => {
  const out = await inside(['--memory', '64m', '--pids-limit', '50', 'busybox', 'sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max; cat /proc/self/cgroup']);
  const [memory, pids, ...cgroups] = out.split('\n');
  assert.equal(memory, String(64 * 1024 * 1024));
  assert.equal(pids, '50');
  const memLine = cgroups.find((l) => /:memory:/.test(l));
  assert.ok(memLine?.includes(`/${d.cgroupParent}/`), `the container's memory cgroup is below --cgroup-parent:\n${out}`);
});

test('env, working dir and user come from the request and the image', async () => {
  const out = await inside(['-e', 'FOO=bar', '-w', '/tmp/work', 'busybox', 'sh', '-c', 'echo $FOO; pwd; echo $HOME; echo $PATH; id -u']);
  assert.equal(out, 'bar\n/tmp/work\n/root\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n0\n');
  assert.equal(await inside(['--entrypoint', 'echo', 'busybox', 'via', 'entrypoint']), 'via entrypoint\n');
  const limit = Number((await inside(['busybox', 'sh', '-c', 'ulimit -n'])).trim());
  assert.ok(limit > 0 && limit <= 1048576);
});
