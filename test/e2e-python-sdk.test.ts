// The Python Docker SDK (docker 7.1) against berthd: ping/version, containers.run (which
// needs LogConfig json-file and a following logs stream), detach, list, stop, remove, images.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, describe as show, type TestDaemon } from './helpers';

let d: TestDaemon;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

const PRELUDE = `
import base64, json, os, sys
import docker
client = docker.DockerClient(base_url=os.environ['BERTH_TEST_URL'], timeout=60)
def emit(value):
    print('RESULT ' + json.dumps(value))
`;

/** Runs a Python snippet against berthd; returns the value it passed to emit(). */
async function py<T = unknown>(code: string): Promise<T> {
  const script = PRELUDE + code;
  const r = await d.run('python3', ['-c', script], { env: { BERTH_TEST_URL: d.dockerHost, PYTHONUNBUFFERED: '1' }, timeoutMs: 90_000 });
  assert.equal(r.code, 0, show('python3', ['-c', code], r));
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `no RESULT line:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line.slice(7)) as T;
}

test('ping, version and info', async () => {
  const v = await py<{ ping: boolean; api: string; min: string; containers: number }>(`
v = client.version()
emit({'ping': client.ping(), 'api': v['ApiVersion'], 'min': v['MinAPIVersion'], 'containers': client.info()['Containers']})
`);
  assert.equal(v.ping, true);
  assert.equal(v.min, '1.24');
  assert.ok(Number(v.api.split('.')[1]) >= 45, v.api);
  assert.equal(typeof v.containers, 'number');
});

test("containers.run('busybox', 'echo hi') returns b'hi\\n'", async () => {
  const out = await py<string>(`emit(base64.b64encode(client.containers.run('busybox', 'echo hi')).decode())`);
  assert.equal(Buffer.from(out, 'base64').toString(), 'hi\n');
  const removed = await py<{ out: string; left: number }>(`
out = client.containers.run('busybox', ['sh', '-c', 'echo one; echo two'], remove=True)
emit({'out': out.decode(), 'left': len([c for c in client.containers.list(all=True) if c.attrs['Config']['Cmd'] == ['sh', '-c', 'echo one; echo two']])})
`);
  assert.deepEqual(removed, { out: 'one\ntwo\n', left: 0 });
});

test('a failing command raises ContainerError with the exit status and stderr', async () => {
  const err = await py<{ status: number; stderr: string }>(`
try:
    client.containers.run('busybox', ['sh', '-c', 'echo bad >&2; exit 2'])
    emit({'status': 0, 'stderr': ''})
except docker.errors.ContainerError as e:
    emit({'status': e.exit_status, 'stderr': e.stderr.decode()})
`);
  assert.deepEqual(err, { status: 2, stderr: 'bad\n' });
});

test('detach, list, stop, remove', async () => {
  const r = await py<{ id: string; running: string; listed: boolean; stopped: string; code: number; listedAfterStop: boolean; inAll: boolean; gone: string }>(`
c = client.containers.run('busybox', 'sleep 1000', detach=True, name='sdk-detached')
c.reload()
running = c.status
listed = c.id in [x.id for x in client.containers.list()]
c.stop(timeout=1)
c.reload()
stopped = c.status
code = c.attrs['State']['ExitCode']
listed_after = c.id in [x.id for x in client.containers.list()]
in_all = c.id in [x.id for x in client.containers.list(all=True)]
c.remove()
try:
    client.containers.get(c.id)
    gone = 'still there'
except docker.errors.NotFound as e:
    gone = e.explanation
emit({'id': c.id, 'running': running, 'listed': listed, 'stopped': stopped, 'code': code,
      'listedAfterStop': listed_after, 'inAll': in_all, 'gone': gone})
`);
  assert.match(r.id, /^[0-9a-f]{64}$/);
  assert.equal(r.running, 'running');
  assert.equal(r.listed, true);
  assert.equal(r.stopped, 'exited');
  assert.equal(r.code, 137);
  assert.equal(r.listedAfterStop, false);
  assert.equal(r.inAll, true);
  assert.equal(r.gone, `No such container: ${r.id}`);
});

test('list filters, labels, logs and wait', async () => {
  const r = await py<{ names: string[]; logs: string; wait: { StatusCode: number }; labels: Record<string, string> }>(`
c = client.containers.run('busybox', ['sh', '-c', 'echo logged; sleep 1; exit 4'], detach=True, name='sdk-labelled', labels={'suite': 'sdk'})
names = [x.name for x in client.containers.list(all=True, filters={'label': 'suite=sdk'})]
result = c.wait(timeout=30)
logs = c.logs().decode()
labels = client.containers.get('sdk-labelled').labels
c.remove(force=True)
emit({'names': names, 'logs': logs, 'wait': result, 'labels': labels})
`);
  assert.deepEqual(r.names, ['sdk-labelled']);
  assert.equal(r.logs, 'logged\n');
  assert.equal(r.wait.StatusCode, 4);
  assert.deepEqual(r.labels, { suite: 'sdk' });
});

test('images.list and images.get', async () => {
  const r = await py<{ tags: string[][]; id: string; getTags: string[]; missing: string }>(`
images = client.images.list()
img = client.images.get('busybox')
try:
    client.images.get('no-such-image:1')
    missing = 'found'
except docker.errors.ImageNotFound as e:
    missing = e.explanation
emit({'tags': [i.tags for i in images], 'id': img.id, 'getTags': img.tags, 'missing': missing})
`);
  assert.ok(r.tags.some((t) => t.includes('busybox:latest')), JSON.stringify(r.tags));
  assert.match(r.id, /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(r.getTags, ['busybox:latest']);
  assert.equal(r.missing, 'No such image: no-such-image:1');
});
