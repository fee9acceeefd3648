// The berth CLI against the official docker CLI on the same berthd: for the same command
// both must print the same bytes and exit with the same code (tables, --format templates,
// error texts). Outputs with relative times are retried once if a second ticked between.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, type TestDaemon, type RunResult } from './helpers';

let d: TestDaemon;
let since = 0;
before(async () => {
  d = await startDaemon();
  since = Math.floor(Date.now() / 1000) - 1;
  await d.docker(['run', '--name', 'done', '-l', 'team=parity', '-l', 'tier=test', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  await d.dockerOk(['run', '-d', '--name', 'svc', 'busybox', 'sh', '-c', 'trap "exit 0" TERM; echo started; sleep 1000 & wait']);
  await d.dockerOk(['create', '--name', 'fresh', '-e', 'A=b', '-w', '/tmp', '--entrypoint', 'echo', 'busybox', 'hello world']);
  await d.dockerOk(['tag', 'busybox', 'example.com/parity/box:v1']);
});
after(async () => { await d?.cleanup(); });

interface Both { docker: RunResult; berth: RunResult }

async function both(args: string[], input?: string): Promise<Both> {
  const docker = await d.docker(args, { input });
  const berth = await d.berth(args, { input });
  return { docker, berth };
}

function same(r: Both): boolean {
  return r.docker.code === r.berth.code && r.docker.stdout === r.berth.stdout && r.docker.stderr === r.berth.stderr;
}

/** Asserts identical exit code, stdout and stderr (after one retry for clock ticks). */
/** Relative times may tick between the two CLI runs (on a busy machine, even after a retry). */
const relativeTimes = (s: string): string => s.replace(/Less than a second|About a minute|\b\d+ (seconds?|minutes?)\b/g, '<t>');

async function parity(args: string[], normalizeRows: (s: string) => string = (s) => s): Promise<Both> {
  const normalize = (s: string) => normalizeRows(relativeTimes(s));
  let r = await both(args);
  if (!same(r)) r = await both(args);
  const label = `docker|berth ${args.join(' ')}`;
  assert.equal(r.berth.code, r.docker.code, `${label}: exit code\n${r.docker.stderr}\n${r.berth.stderr}`);
  assert.equal(normalize(r.berth.stdout), normalize(r.docker.stdout), `${label}: stdout`);
  assert.equal(normalize(r.berth.stderr), normalize(r.docker.stderr), `${label}: stderr`);
  return r;
}

test('version and info templates', async () => {
  // Templates address Go field names (APIVersion), not the JSON keys (ApiVersion).
  await parity(['version', '--format', '{{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}} {{.Server.Arch}} {{.Server.Version}}']);
  await parity(['version', '--format', '{{.Client.APIVersion}}']);
  await parity(['info', '--format', '{{.Containers}} {{.ContainersRunning}} {{.ContainersStopped}} {{.Images}} {{.ServerVersion}} {{.OSType}} {{.Driver}}']);
  await parity(['info', '--format', '{{json .Plugins}}']);
});

/**
 * docker lists the repositories of one image in Go map order (random), so rows of the same
 * image are compared as a set; the header stays first.
 */
const rowSet = (text: string): string => {
  const lines = text.split('\n');
  return [lines[0], ...lines.slice(1).sort()].join('\n');
};
/** The same for outputs without a header row (-q, --format without "table"). */
const allRowSet = (text: string): string => text.split('\n').sort().join('\n');

test('images tables and templates', async () => {
  await parity(['images'], rowSet);
  await parity(['images', '-q'], allRowSet);
  await parity(['images', '--no-trunc'], rowSet);
  await parity(['images', '--format', '{{.Repository}}|{{.Tag}}|{{.ID}}|{{.Size}}|{{.CreatedSince}}'], allRowSet);
  await parity(['images', '--format', 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}'], rowSet);
  await parity(['images', 'busybox']);
  await parity(['images', '--filter', 'reference=example.com/*/*']);
  await parity(['history', 'busybox']);
  await parity(['history', '--no-trunc', '--format', '{{.ID}}|{{.CreatedBy}}|{{.Size}}|{{.Comment}}', 'busybox']);
});

test('ps tables and templates', async () => {
  await parity(['ps']);
  await parity(['ps', '-a']);
  await parity(['ps', '-a', '-q']);
  await parity(['ps', '-a', '--no-trunc', '--format', '{{.ID}}|{{.Names}}|{{.Image}}|{{.Command}}|{{.State}}|{{.Ports}}']);
  await parity(['ps', '-a', '--format', '{{.Names}} {{.Labels}} {{.Label "team"}}']);
  await parity(['ps', '-a', '--format', 'table {{.Names}}\t{{.Status}}']);
  await parity(['ps', '-a', '--filter', 'status=exited', '--filter', 'label=team=parity', '-q']);
  await parity(['ps', '-l', '--format', '{{.Names}}']);
  await parity(['ps', '-a', '-n', '2', '--format', '{{.Names}}']);
  await parity(['ps', '-a', '-s', '--format', '{{.Names}} {{.Size}}']);
});

test('inspect output', async () => {
  await parity(['inspect', '--format', '{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{json .Config.Cmd}} {{.HostConfig.NetworkMode}}', 'done', 'svc']);
  await parity(['inspect', '--format', '{{json .Config.Labels}} {{index .Config.Labels "tier"}} {{range .Config.Env}}{{.}},{{end}}', 'done', 'fresh']);
  await parity(['inspect', 'fresh']);
  await parity(['image', 'inspect', 'busybox']);
  await parity(['inspect', '--type', 'image', '--format', '{{.Id}} {{.RepoTags}}', 'busybox']);
});

test('logs, wait and events', async () => {
  await parity(['logs', 'done']);
  await parity(['logs', '-t', 'done']);
  await parity(['logs', '--tail', '1', 'svc']);
  await parity(['wait', 'done']);
  const until = String(Math.ceil(Date.now() / 1000) + 1);
  await parity(['events', '--since', String(since), '--until', until, '--filter', 'type=container', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}']);
  await parity(['events', '--since', String(since), '--until', until, '--filter', 'container=done']);
});

test('system df', async () => {
  await parity(['system', 'df']);
  await parity(['system', 'df', '--format', '{{.Type}} {{.TotalCount}} {{.Active}} {{.Size}} {{.Reclaimable}}']);
});

test('error texts and exit codes', async () => {
  const mismatches: string[] = [];
  for (const args of [
    ['start', 'nope'], ['stop', 'nope'], ['kill', 'nope'], ['rm', 'nope'], ['pause', 'nope'], ['logs', 'nope'],
    ['inspect', 'nope'], ['container', 'inspect', 'nope'], ['image', 'inspect', 'nope:1'], ['rmi', 'nope:1'], ['tag', 'nope:1', 'x:1'],
    ['rename', 'nope', 'other'], ['pause', 'done'], ['unpause', 'svc'], ['rm', 'svc'], ['kill', 'done'],
    ['run', '--rm', 'busybox', 'sh', '-c', 'exit 3'], ['run', '--rm', 'busybox', 'echo', 'hi'],
    ['create', '--name', 'svc', 'busybox'],
  ]) {
    // Collect every mismatch so one run reports them all.
    await parity(args, (s) => s.replace(/[0-9a-f]{64}/g, '<id>')).catch((err: Error) => mismatches.push(err.message));
  }
  assert.deepEqual(mismatches, []);
});

test('mutating commands print the same confirmations', async () => {
  await d.dockerOk(['create', '--name', 'm1', 'busybox']);
  await d.dockerOk(['create', '--name', 'm2', 'busybox']);
  const docker = await d.docker(['rm', 'm1']);
  const berth = await d.berth(['rm', 'm2']);
  assert.equal(berth.stdout.replace('m2', 'm1'), docker.stdout);
  const t1 = await d.docker(['tag', 'busybox', 'p:1']);
  const t2 = await d.berth(['tag', 'busybox', 'p:2']);
  assert.deepEqual([t2.code, t2.stdout, t2.stderr], [t1.code, t1.stdout, t1.stderr]);
  const r1 = await d.docker(['rmi', 'p:1']);
  const r2 = await d.berth(['rmi', 'p:2']);
  assert.equal(r2.stdout.replace('p:2', 'p:1'), r1.stdout);
  await parity(['stop', 'svc']);
  await parity(['start', 'svc']);
});
