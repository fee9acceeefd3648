// Health checks through the official docker CLI: --health-* flags and an image HEALTHCHECK,
// starting → healthy → unhealthy with health_status events and ps texts, the start period,
// probe timeouts, --no-healthcheck, stop on exit, and re-arming after a berthd kill -9.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startDaemon, waitFor, delay, writeBusyboxTar, type TestDaemon } from './helpers';

let d: TestDaemon;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

interface HealthLog { Start: string; End: string; ExitCode: number; Output: string }
interface Health { Status: string; FailingStreak: number; Log: HealthLog[] }

async function health(name: string): Promise<Health | null> {
  return JSON.parse(await d.dockerOk(['inspect', '-f', '{{json .State.Health}}', name])) as Health | null;
}

async function psStatus(name: string): Promise<string> {
  return (await d.dockerOk(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}'])).trim();
}

async function healthEvents(name: string, sinceSec: number): Promise<string[]> {
  const out = await d.dockerOk(['events', '--since', String(Math.floor(sinceSec)), '--until', String(Math.ceil(Date.now() / 1000) + 1),
    '--filter', `container=${name}`, '--filter', 'event=health_status', '--format', '{{.Action}}']);
  return out.split('\n').filter(Boolean);
}

const waitStatus = (name: string, status: string) =>
  waitFor(`${name} ${status}`, async () => (await health(name))?.Status === status, { timeoutMs: 15_000, intervalMs: 50 });

test('--health-* flags map into Config.Healthcheck (nanoseconds)', async () => {
  await d.dockerOk(['create', '--name', 'cfg', '--health-cmd', 'true', '--health-interval', '1m30s', '--health-timeout', '2s',
    '--health-start-period', '500ms', '--health-start-interval', '1.5s', '--health-retries', '4', 'busybox']);
  const hc = JSON.parse(await d.dockerOk(['inspect', '-f', '{{json .Config.Healthcheck}}', 'cfg'])) as Record<string, unknown>;
  assert.deepEqual(hc, { Test: ['CMD-SHELL', 'true'], Interval: 90e9, Timeout: 2e9, StartPeriod: 5e8, StartInterval: 1.5e9, Retries: 4 });
  assert.equal(await health('cfg'), null, 'no Health before the first start');
  const conflict = await d.docker(['create', '--no-healthcheck', '--health-cmd', 'true', 'busybox']);
  assert.notEqual(conflict.code, 0);
  assert.match(conflict.stderr, /--no-healthcheck conflicts with --health-\* options/);
  const api = await d.api('POST', '/v1.45/containers/create', { body: { Image: 'busybox', Healthcheck: { Test: ['CMD', 'true'], Interval: 1000 } } });
  assert.equal(api.status, 400);
  assert.match(api.text, /Interval in Healthcheck cannot be less than 1ms/);
  await d.dockerOk(['rm', 'cfg']);
});

test('starting → healthy → unhealthy, with events, ps status and the health filter', async () => {
  const since = Date.now() / 1000 - 1;
  await d.dockerOk(['run', '-d', '--name', 'hc', '--health-cmd', 'test -f /tmp/ok', '--health-interval', '200ms', '--health-retries', '1',
    'busybox', 'sh', '-c', 'touch /tmp/ok; sleep 2; rm /tmp/ok; sleep 1000']);
  const first = await health('hc');
  assert.ok(first && (first.Status === 'starting' || first.Status === 'healthy'), JSON.stringify(first));
  await waitStatus('hc', 'healthy');
  assert.match(await psStatus('hc'), /^Up .* \(healthy\)$/);
  assert.equal((await d.dockerOk(['ps', '--filter', 'health=healthy', '--format', '{{.Names}}'])).trim(), 'hc');
  assert.equal((await d.dockerOk(['ps', '--filter', 'health=unhealthy', '--format', '{{.Names}}'])).trim(), '');
  await waitStatus('hc', 'unhealthy');
  assert.match(await psStatus('hc'), /^Up .* \(unhealthy\)$/);
  assert.equal((await d.dockerOk(['ps', '--filter', 'health=unhealthy', '--format', '{{.Names}}'])).trim(), 'hc');
  const h = await health('hc') as Health;
  assert.ok(h.FailingStreak >= 1);
  assert.ok(h.Log.length >= 1 && h.Log.length <= 5, `at most five log entries: ${h.Log.length}`);
  const last = h.Log[h.Log.length - 1];
  assert.equal(last.ExitCode, 1);
  assert.ok(Date.parse(last.End) >= Date.parse(last.Start));
  assert.deepEqual(await healthEvents('hc', since), ['health_status: healthy', 'health_status: unhealthy']);
  const bad = await d.docker(['ps', '--filter', 'health=bogus']);
  assert.match(bad.stderr, /invalid filter 'health=bogus'/);
});

test('stops probing when the container exits, keeps the last status', async () => {
  await d.dockerOk(['stop', '-t', '0', 'hc']);
  const before = await health('hc') as Health;
  assert.equal(before.Status, 'unhealthy');
  await delay(800);
  assert.deepEqual(await health('hc'), before, 'no probe after the exit');
  assert.match(await psStatus('hc'), /^Exited/);
  await d.dockerOk(['rm', 'hc']);
});

test('the start period keeps a failing container "starting"', async () => {
  await d.dockerOk(['run', '-d', '--name', 'sp', '--health-cmd', 'exit 3', '--health-interval', '200ms', '--health-retries', '1',
    '--health-start-period', '2s', '--health-start-interval', '100ms', 'busybox', 'sleep', '1000']);
  await waitFor('failing probes during the start period', async () => ((await health('sp'))?.Log.length ?? 0) >= 3, { intervalMs: 50 });
  const h = await health('sp') as Health;
  assert.equal(h.Status, 'starting');
  assert.equal(h.FailingStreak, 0);
  assert.ok(h.Log.every((l) => l.ExitCode === 3));
  assert.match(await psStatus('sp'), /^Up .* \(health: starting\)$/);
  assert.equal((await d.dockerOk(['ps', '--filter', 'health=starting', '--format', '{{.Names}}'])).trim(), 'sp');
  await waitStatus('sp', 'unhealthy');
  await d.dockerOk(['rm', '-f', 'sp']);
});

function hostProcessesRunning(cmdline: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() === cmdline) found.push(Number(pid));
    } catch { /* gone */ }
  }
  return found;
}

test('a probe that exceeds its timeout is killed and recorded as -1', async () => {
  await d.dockerOk(['run', '-d', '--name', 'slow', '--health-cmd', 'echo partial; sleep 17.25', '--health-timeout', '300ms',
    '--health-interval', '200ms', '--health-retries', '2', 'busybox', 'sleep', '1000']);
  await waitStatus('slow', 'unhealthy');
  const h = await health('slow') as Health;
  assert.ok(h.Log.length >= 2);
  for (const l of h.Log) {
    assert.equal(l.ExitCode, -1);
    assert.equal(l.Output, 'Health check exceeded timeout (300ms): partial\n');
  }
  await delay(300);
  assert.ok(hostProcessesRunning('sleep 17.25').length <= 1, 'timed-out probes are killed, not piled up');
  await d.dockerOk(['rm', '-f', 'slow']);
  await waitFor('no probe process left', () => hostProcessesRunning('sleep 17.25').length === 0);
});

test('a probe command that cannot start and an output over 4096 bytes', async () => {
  const body = { Healthcheck: { Test: ['CMD', '/nonexistent'], Interval: 2e8, Retries: 1 } };
  const created = await d.api('POST', '/v1.45/containers/create?name=missing', { body: { Image: 'busybox', Cmd: ['sleep', '1000'], ...body } });
  assert.equal(created.status, 201, created.text);
  await d.dockerOk(['start', 'missing']);
  await waitStatus('missing', 'unhealthy');
  const m = await health('missing') as Health;
  assert.equal(m.Log[0].ExitCode, -1);
  assert.match(m.Log[0].Output, /^OCI runtime exec failed: .*\/nonexistent.*: unknown$/);

  await d.dockerOk(['run', '-d', '--name', 'big', '--health-interval', '200ms', '--health-cmd', 'head -c 5000 /dev/zero | tr "\\0" a',
    'busybox', 'sleep', '1000']);
  await waitStatus('big', 'healthy');
  const b = await health('big') as Health;
  assert.equal(b.Log[0].Output, 'a'.repeat(4096) + '...');
  await d.dockerOk(['rm', '-f', 'missing', 'big']);
});

test('image HEALTHCHECK is used; --no-healthcheck disables it', async () => {
  const tar = path.join(d.tmpRoot, 'rootfs.tar');
  await writeBusyboxTar(tar);
  await d.dockerOk(['import', '--change', 'HEALTHCHECK --interval=200ms --retries=1 CMD ["true"]', tar, 'hc-image:1']);
  const imageHc = JSON.parse(await d.dockerOk(['image', 'inspect', '-f', '{{json .Config.Healthcheck}}', 'hc-image:1'])) as unknown;
  assert.deepEqual(imageHc, { Test: ['CMD', 'true'], Interval: 2e8, Retries: 1 });
  await d.dockerOk(['run', '-d', '--name', 'fromimage', 'hc-image:1', 'sleep', '1000']);
  await waitStatus('fromimage', 'healthy');
  await d.dockerOk(['run', '-d', '--name', 'disabled', '--no-healthcheck', 'hc-image:1', 'sleep', '1000']);
  assert.deepEqual(JSON.parse(await d.dockerOk(['inspect', '-f', '{{json .Config.Healthcheck.Test}}', 'disabled'])), ['NONE']);
  await delay(600);
  assert.equal(await health('disabled'), null);
  assert.match(await psStatus('disabled'), /^Up [^(]*$/);
  assert.equal((await d.dockerOk(['ps', '--filter', 'health=none', '--format', '{{.Names}}'])).trim(), 'disabled');
});

test('pause stops probing, unpause resumes it', async () => {
  await d.dockerOk(['pause', 'fromimage']);
  await delay(300); // a probe in flight when pausing finishes (or times out) first
  const paused = await health('fromimage') as Health;
  await delay(700);
  assert.deepEqual(await health('fromimage'), paused, 'no probes while paused');
  assert.match(await psStatus('fromimage'), /^Up .* \(Paused\)$/);
  await d.dockerOk(['unpause', 'fromimage']);
  await waitFor('probes again after unpause', async () => {
    const h = await health('fromimage') as Health;
    return h.Log[h.Log.length - 1].Start > paused.Log[paused.Log.length - 1].Start;
  });
  assert.equal((await health('fromimage'))?.Status, 'healthy');
});

test('health monitoring resumes after berthd kill -9 (from "starting", as dockerd)', async () => {
  const before = await health('fromimage') as Health;
  await d.kill9();
  await d.restart();
  const after = await health('fromimage') as Health;
  assert.ok(after.Log.length >= 1, 'the log was persisted');
  assert.ok(after.Status === 'starting' || after.Status === 'healthy');
  await waitFor('probes run again', async () => {
    const h = await health('fromimage') as Health;
    return h.Status === 'healthy' && h.Log[h.Log.length - 1].Start > before.Log[before.Log.length - 1].Start;
  });
  await d.dockerOk(['rm', '-f', 'fromimage', 'disabled']);
});
