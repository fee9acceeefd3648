// Restart policies through the official docker CLI: on-failure:N counts, always and
// unless-stopped across a berthd kill -9, user stop/kill/rm -f during the back-off wait,
// the events of a policy restart, and Docker's validation texts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, waitFor, delay, type TestDaemon } from './helpers';

let d: TestDaemon;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

async function inspect(name: string, format: string): Promise<string> {
  return (await d.dockerOk(['inspect', '-f', format, name])).trim();
}

interface EventMessage { Action: string; Actor: { ID: string; Attributes: Record<string, string> } }

async function eventsOf(id: string, sinceSec: number): Promise<string[]> {
  const out = await d.dockerOk(['events', '--since', String(Math.floor(sinceSec)), '--until', String(Math.ceil(Date.now() / 1000) + 1),
    '--filter', 'type=container', '--format', '{{json .}}']);
  return out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as EventMessage).filter((e) => e.Actor.ID === id).map((e) => e.Action);
}

test('on-failure:3 restarts exactly three times, then stays exited', async () => {
  const since = Date.now() / 1000 - 1;
  const id = (await d.dockerOk(['run', '-d', '--name', 'fail3', '--restart', 'on-failure:3', 'busybox', 'sh', '-c', 'exit 3'])).trim();
  // Back-off 100 + 200 + 400 ms: the fourth exit comes well within a few seconds.
  await waitFor('RestartCount 3 and exited', async () => (await inspect('fail3', '{{.RestartCount}} {{.State.Status}}')) === '3 exited', { timeoutMs: 20_000 });
  await delay(1500); // no fourth restart after a while either
  assert.equal(await inspect('fail3', '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}} {{.State.Restarting}}'), '3 exited 3 false');
  const actions = await eventsOf(id, since);
  // A policy restart is a new "start" (dockerd emits "restart" only for docker restart).
  assert.deepEqual(actions.filter((a) => a === 'start' || a === 'die' || a === 'restart'),
    ['start', 'die', 'start', 'die', 'start', 'die', 'start', 'die']);
  // A user start resets the count, as dockerd does.
  await d.dockerOk(['start', 'fail3']);
  await waitFor('restarts again after a user start', async () => (await inspect('fail3', '{{.RestartCount}} {{.State.Status}}')) === '3 exited', { timeoutMs: 20_000 });
});

test('on-failure does not restart a clean exit; unless-stopped does', async () => {
  await d.dockerOk(['run', '-d', '--name', 'okexit', '--restart', 'on-failure', 'busybox', 'true']);
  assert.equal((await d.dockerOk(['wait', 'okexit'])).trim(), '0');
  await delay(500);
  assert.equal(await inspect('okexit', '{{.RestartCount}} {{.State.Status}}'), '0 exited');
  await d.dockerOk(['run', '-d', '--name', 'us', '--restart', 'unless-stopped', 'busybox', 'sh', '-c', 'sleep 0.3']);
  await waitFor('unless-stopped restarted after a clean exit', async () => Number(await inspect('us', '{{.RestartCount}}')) >= 1);
  await d.dockerOk(['stop', '-t', '1', 'us']);
});

test('restarting state during the back-off; stop, kill and rm -f cancel it', async () => {
  // Each quick exit doubles the delay; after a few exits the wait is long enough to act in.
  for (const name of ['bo-stop', 'bo-kill', 'bo-rm']) {
    await d.dockerOk(['run', '-d', '--name', name, '--restart', 'always', 'busybox', 'sh', '-c', 'exit 1']);
  }
  for (const name of ['bo-stop', 'bo-kill', 'bo-rm']) {
    await waitFor(`${name} restarting with a long back-off`, async () => {
      const [count, status] = (await inspect(name, '{{.RestartCount}} {{.State.Status}}')).split(' ');
      return Number(count) >= 5 && status === 'restarting';
    }, { timeoutMs: 20_000, intervalMs: 20 });
  }
  assert.equal(await inspect('bo-stop', '{{.State.Running}} {{.State.Restarting}}'), 'true true');
  const ps = await d.dockerOk(['ps', '--filter', 'name=bo-stop', '--format', '{{.Status}}']);
  assert.match(ps.trim(), /^Restarting \(1\) .* ago$/);
  const rm = await d.docker(['rm', 'bo-rm']);
  assert.notEqual(rm.code, 0);
  assert.match(rm.stderr, /container is restarting: stop the container before removing or force remove/);

  const stop = await d.docker(['stop', 'bo-stop']);
  assert.equal(stop.code, 0, stop.stderr);
  await d.dockerOk(['kill', 'bo-kill']);
  await d.dockerOk(['rm', '-f', 'bo-rm']);
  for (const name of ['bo-stop', 'bo-kill']) {
    assert.equal(await inspect(name, '{{.State.Status}} {{.State.Running}} {{.State.Restarting}}'), 'exited false false');
  }
  const count = await inspect('bo-stop', '{{.RestartCount}}');
  await delay(1500);
  assert.equal(await inspect('bo-stop', '{{.State.Status}} {{.RestartCount}}'), `exited ${count}`, 'no restart after stop');
  assert.equal((await d.docker(['inspect', 'bo-rm'])).code, 1, 'removed');
  await d.dockerOk(['rm', 'bo-stop', 'bo-kill', 'fail3', 'okexit', 'us']);
});

test('always and unless-stopped survive berthd kill -9; a stopped unless-stopped stays stopped', async () => {
  await d.dockerOk(['run', '-d', '--name', 'alw', '--restart', 'always', 'busybox', 'sleep', '1000']);
  await d.dockerOk(['run', '-d', '--name', 'alw-stopped', '--restart', 'always', 'busybox', 'sleep', '1000']);
  await d.dockerOk(['run', '-d', '--name', 'uls', '--restart', 'unless-stopped', 'busybox', 'sleep', '1000']);
  await d.dockerOk(['run', '-d', '--name', 'uls-stopped', '--restart', 'unless-stopped', 'busybox', 'sleep', '1000']);
  await d.dockerOk(['run', '-d', '--name', 'nopolicy', 'busybox', 'sleep', '1000']);
  await d.dockerOk(['stop', '-t', '0', 'alw-stopped', 'uls-stopped']);
  for (const name of ['alw', 'uls', 'nopolicy']) await idOf(name);
  await d.kill9();
  // The containers die while berthd is down (as they would with the machine's reboot).
  for (const name of ['alw', 'uls', 'nopolicy']) {
    const pid = Number((await import('node:fs')).readFileSync(`${d.execRoot}/conmon/persist/${await idOf(name)}/pidfile`, 'utf8'));
    process.kill(pid, 'SIGKILL');
  }
  await delay(500);
  await d.restart();
  await waitFor('always and unless-stopped running again', async () =>
    (await inspect('alw', '{{.State.Status}}')) === 'running' && (await inspect('uls', '{{.State.Status}}')) === 'running');
  // dockerd's restore: `always` comes back even when the user had stopped it.
  await waitFor('stopped always container started by the daemon', async () => (await inspect('alw-stopped', '{{.State.Status}}')) === 'running');
  await delay(500);
  assert.equal(await inspect('uls-stopped', '{{.State.Status}}'), 'exited');
  assert.equal(await inspect('nopolicy', '{{.State.Status}} {{.State.ExitCode}}'), 'exited 137');
  await d.dockerOk(['rm', '-f', 'alw', 'alw-stopped', 'uls', 'uls-stopped', 'nopolicy']);
});

const ids = new Map<string, string>();
async function idOf(name: string): Promise<string> {
  if (!ids.has(name)) ids.set(name, await inspect(name, '{{.Id}}'));
  return ids.get(name) as string;
}

test('validation errors as Docker', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--restart', 'always:3'], /invalid restart policy: maximum retry count can only be used with 'on-failure'/],
    [['--restart', 'bogus'], /invalid restart policy: unknown policy 'bogus'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'/],
    [['--restart', 'on-failure:-1'], /invalid restart policy: maximum retry count cannot be negative/],
    [['--restart', 'always', '--rm'], /conflicting options: cannot specify both --restart and --rm/],
  ];
  for (const [flags, expected] of cases) {
    const r = await d.docker(['run', '-d', ...flags, 'busybox']);
    assert.equal(r.code, 125, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, expected);
  }
  const api = await d.api('POST', '/v1.45/containers/create', {
    body: { Image: 'busybox', HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } } },
  });
  assert.equal(api.status, 400);
  assert.match(api.text, /can't create 'AutoRemove' container with restart policy/);
  assert.equal((await d.dockerOk(['ps', '-aq'])).trim(), '', 'nothing was created');
});
