// Pure parts of health checks and run flags: the healthcheck plan with Docker's defaults,
// dockerd's probe-result rules, Go duration parsing/printing, --health-* and --device parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDuration, healthPlan } from '../src/container/health/config';
import { applyProbeResult, nextDelayMs } from '../src/container/health/result';
import type { ContainerConfig, HealthState } from '../src/container/types';
import { parseGoDuration } from '../src/cli/container-opts/duration';
import { parseDevice } from '../src/cli/container-opts/values';
import { shouldRestart } from '../src/container/restart-policy';
import type { Container } from '../src/container/types';

const config = (hc: ContainerConfig['Healthcheck'], extra: Partial<ContainerConfig> = {}) => ({ Healthcheck: hc, ...extra }) as ContainerConfig;

test('healthPlan: Docker defaults, CMD / CMD-SHELL / NONE', () => {
  assert.equal(healthPlan(config(undefined)), undefined);
  assert.equal(healthPlan(config({ Test: ['NONE'] })), undefined);
  assert.equal(healthPlan(config({ Test: [] })), undefined);
  assert.equal(healthPlan(config({ Test: ['BOGUS', 'x'] })), undefined);
  assert.deepEqual(healthPlan(config({ Test: ['CMD', 'true', '-x'] })), {
    argv: ['true', '-x'], intervalMs: 30000, timeoutMs: 30000, startPeriodMs: 0, startIntervalMs: 5000, retries: 3,
  });
  assert.deepEqual(healthPlan(config({ Test: ['CMD-SHELL', 'a && b'], Interval: 2e8, Timeout: 1e9, StartPeriod: 3e9, StartInterval: 1e8, Retries: 1 }))
    , { argv: ['/bin/sh', '-c', 'a && b'], intervalMs: 200, timeoutMs: 1000, startPeriodMs: 3000, startIntervalMs: 100, retries: 1 });
  assert.deepEqual(healthPlan(config({ Test: ['CMD-SHELL', 'x'] }, { Shell: ['/bin/bash', '-ec'] }))?.argv, ['/bin/bash', '-ec', 'x']);
  assert.deepEqual(healthPlan(config({ Test: ['CMD'] }))?.argv, []);
});

const entry = (code: number) => ({ Start: 's', End: 'e', ExitCode: code, Output: '' });

test('probe results: healthy on success, streak and retries, start period, five log entries', () => {
  const plan = healthPlan(config({ Test: ['CMD', 'x'], Retries: 2, StartPeriod: 1e9 })) as NonNullable<ReturnType<typeof healthPlan>>;
  let h: HealthState = { Status: 'starting', FailingStreak: 0, Log: [] };
  h = applyProbeResult(h, entry(1), plan, 0, 500); // within the start period
  assert.deepEqual([h.Status, h.FailingStreak, h.Log.length], ['starting', 0, 1]);
  h = applyProbeResult(h, entry(1), plan, 0, 1500);
  assert.deepEqual([h.Status, h.FailingStreak], ['starting', 1]);
  h = applyProbeResult(h, entry(0), plan, 0, 1600);
  assert.deepEqual([h.Status, h.FailingStreak], ['healthy', 0]);
  h = applyProbeResult(h, entry(-1), plan, 0, 1700);
  assert.deepEqual([h.Status, h.FailingStreak], ['healthy', 1]);
  h = applyProbeResult(h, entry(2), plan, 0, 1800);
  assert.deepEqual([h.Status, h.FailingStreak], ['unhealthy', 2]);
  for (let i = 0; i < 4; i++) h = applyProbeResult(h, entry(10 + i), plan, 0, 2000 + i);
  assert.deepEqual(h.Log.map((l) => l.ExitCode), [2, 10, 11, 12, 13]);
  // The start interval applies only while starting inside the start period.
  assert.equal(nextDelayMs(plan, 'starting', 0, 500), 5000);
  assert.equal(nextDelayMs(plan, 'healthy', 0, 500), 30000);
  assert.equal(nextDelayMs(plan, 'starting', 0, 1500), 30000);
});

test('Go durations', () => {
  assert.equal(parseGoDuration('200ms'), 2e8);
  assert.equal(parseGoDuration('1m30s'), 90e9);
  assert.equal(parseGoDuration('1.5s'), 1.5e9);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('-1s'), -1e9);
  assert.equal(parseGoDuration('2h'), 7200e9);
  assert.throws(() => parseGoDuration('10'), /^Error: time: missing unit in duration "10"$/);
  assert.throws(() => parseGoDuration('1x'), /^Error: time: unknown unit "x" in duration "1x"$/);
  assert.throws(() => parseGoDuration('abc'), /^Error: time: invalid duration "abc"$/);
  assert.equal(goDuration(300), '300ms');
  assert.equal(goDuration(1000), '1s');
  assert.equal(goDuration(1500), '1.5s');
  assert.equal(goDuration(90000), '1m30s');
  assert.equal(goDuration(7200000), '2h0m0s');
  assert.equal(goDuration(30000), '30s');
});

test('--device parsing as the docker CLI', () => {
  assert.deepEqual(parseDevice('/dev/null'), { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'rwm' });
  assert.deepEqual(parseDevice('/dev/null:r'), { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'r' });
  assert.deepEqual(parseDevice('/dev/null:/dev/x'), { PathOnHost: '/dev/null', PathInContainer: '/dev/x', CgroupPermissions: 'rwm' });
  assert.deepEqual(parseDevice('/dev/null:/dev/x:rw'), { PathOnHost: '/dev/null', PathInContainer: '/dev/x', CgroupPermissions: 'rw' });
  assert.throws(() => parseDevice('/dev/null:rel'), /bad format for path: \/dev\/null:rel/);
  assert.throws(() => parseDevice('/dev/null:/dev/x:rwx'), /bad mode specified: rwx/);
  assert.throws(() => parseDevice('a:b:c:d'), /invalid device specification: a:b:c:d/);
});

function container(name: string, exitCode: number, restartCount: number, manuallyStopped: boolean, max = 0): Container {
  return {
    hostConfig: { RestartPolicy: { Name: name, MaximumRetryCount: max } },
    state: { ExitCode: exitCode }, restartCount, manuallyStopped,
  } as unknown as Container;
}

test('restart decisions follow moby restartmanager (after an exit and at daemon start)', () => {
  assert.equal(shouldRestart(container('no', 1, 0, false), false), false);
  assert.equal(shouldRestart(container('always', 0, 0, false), false), true);
  assert.equal(shouldRestart(container('always', 0, 0, true), false), false);
  assert.equal(shouldRestart(container('always', 0, 0, true), true), true, 'always comes back at daemon start');
  assert.equal(shouldRestart(container('unless-stopped', 0, 0, true), true), false);
  assert.equal(shouldRestart(container('unless-stopped', 0, 0, false), true), true);
  assert.equal(shouldRestart(container('on-failure', 0, 0, false), false), false);
  assert.equal(shouldRestart(container('on-failure', 1, 2, false, 3), false), true);
  assert.equal(shouldRestart(container('on-failure', 1, 3, false, 3), false), false);
  assert.equal(shouldRestart(container('on-failure', 1, 99, false, 0), false), true);
  assert.equal(shouldRestart(container('on-failure', 137, 0, true), false), false, 'a user stop cancels');
});
