// Pure pieces of the API adapter: version prefixes, routing, filters, times, framing, error table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitVersion, compareVersions } from '../src/api/version';
import { Router } from '../src/api/router';
import { parseFilters, matchLabels } from '../src/api/filters';
import { parseTimestamp, humanDuration, toRfc3339NanoUtc } from '../src/api/time-util';
import { frame, recordEncoder, streamContentType } from '../src/api/streams/mux';
import { statusText, commandText } from '../src/api/convert/container';
import { compileEventFilter, eventJson } from '../src/api/convert/events';
import { STATUS_BY_KIND, statusOf } from '../src/api/errors';
import { ConflictError, NotModifiedError, InvalidArgumentError, BerthError } from '../src/errors';
import { EventBus } from '../src/events';
import { parseArgs } from '../src/daemon/flags';

test('version prefixes: unversioned, in range, too new, too old', () => {
  assert.deepEqual(splitVersion('/containers/json'), { version: '1.45', path: '/containers/json' });
  assert.deepEqual(splitVersion('/v1.24/info'), { version: '1.24', path: '/info' });
  assert.deepEqual(splitVersion('/v1.45/_ping'), { version: '1.45', path: '/_ping' });
  assert.throws(() => splitVersion('/v1.99/info'), { message: 'client version 1.99 is too new. Maximum supported API version is 1.45' });
  assert.throws(() => splitVersion('/v1.12/info'), (err: unknown) => err instanceof InvalidArgumentError && /client version 1.12 is too old. Minimum supported API version is 1.24/.test(err.message));
  assert.equal(compareVersions('1.9', '1.10'), -1);
});

test('router: literal routes first, catch-all names may contain slashes and are decoded', () => {
  const h = (name: string) => () => { void name; };
  const json = h('json');
  const inspect = h('inspect');
  const del = h('delete');
  const router = new Router([
    { method: 'GET', path: '/images/json', handler: json },
    { method: 'GET', path: '/images/{name:.*}/json', handler: inspect },
    { method: 'DELETE', path: '/images/{name:.*}', handler: del },
    { method: 'GET', path: '/exec/{id}/json', handler: inspect },
  ]);
  assert.equal(router.match('GET', '/images/json')?.handler, json);
  const m = router.match('GET', '/images/localhost:5000/a/b:1/json');
  assert.equal(m?.handler, inspect);
  assert.equal(m?.params.name, 'localhost:5000/a/b:1');
  assert.equal(router.match('DELETE', '/images/my%2Fimage')?.params.name, 'my/image');
  assert.equal(router.match('POST', '/images/json'), undefined);
  assert.equal(router.match('GET', '/exec/a/b/json'), undefined);
  assert.equal(router.match('GET', '/images/%E0%A4%A/json'), undefined);
});

test('filters: current and legacy JSON forms, errors, labels', () => {
  assert.deepEqual(parseFilters('{"status":{"running":true,"exited":false}}'), { status: ['running'] });
  assert.deepEqual(parseFilters('{"label":["a=b","c"]}'), { label: ['a=b', 'c'] });
  assert.deepEqual(parseFilters(''), {});
  assert.throws(() => parseFilters('{bad'), InvalidArgumentError);
  assert.throws(() => parseFilters('{"a":1}'), InvalidArgumentError);
  assert.ok(matchLabels(['a=b', 'c'], { a: 'b', c: '' }));
  assert.ok(!matchLabels(['a=x'], { a: 'b' }));
});

test('timestamps: seconds with fraction, RFC 3339, durations, garbage', () => {
  assert.equal(parseTimestamp('1700000000', 'since'), 1700000000);
  assert.equal(parseTimestamp('1700000000.25', 'since'), 1700000000.25);
  assert.equal(parseTimestamp('2024-01-02T03:04:05Z', 'since'), Date.parse('2024-01-02T03:04:05Z') / 1000);
  assert.equal(parseTimestamp('10m', 'since', 1000), 400);
  assert.equal(parseTimestamp('1h30m', 'since', 10000), 10000 - 5400);
  assert.throws(() => parseTimestamp('yesterday', 'since'), InvalidArgumentError);
  assert.equal(toRfc3339NanoUtc('2024-01-02T04:04:05.5+01:00'), '2024-01-02T03:04:05.500000000Z');
  assert.equal(toRfc3339NanoUtc('2024-01-02T03:04:05.123456789Z'), '2024-01-02T03:04:05.123456789Z');
});

test('human durations and status texts match Docker', () => {
  assert.equal(humanDuration(0.5), 'Less than a second');
  assert.equal(humanDuration(1), '1 second');
  assert.equal(humanDuration(59), '59 seconds');
  assert.equal(humanDuration(61), 'About a minute');
  assert.equal(humanDuration(3600), 'About an hour');
  assert.equal(humanDuration(3 * 86400), '3 days');
  const now = Date.parse('2024-01-01T00:01:00Z');
  const base = { Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 3, Error: '' };
  assert.equal(statusText({ ...base, Status: 'exited', StartedAt: '2024-01-01T00:00:00Z', FinishedAt: '2024-01-01T00:00:58Z' }, now), 'Exited (3) 2 seconds ago');
  assert.equal(statusText({ ...base, Status: 'running', Running: true, StartedAt: '2024-01-01T00:00:30Z', FinishedAt: '0001-01-01T00:00:00Z' }, now), 'Up 30 seconds');
  assert.equal(statusText({ ...base, Status: 'paused', Running: true, Paused: true, StartedAt: '2024-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' }, now), 'Up About a minute (Paused)');
  assert.equal(statusText({ ...base, Status: 'created', StartedAt: '0001-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' }, now), 'Created');
  assert.equal(commandText({ path: 'sh', args: ['-c', 'echo hi'] } as never), "sh -c 'echo hi'");
});

test('stream framing: 8-byte header, raw for TTY, content types by version', () => {
  assert.deepEqual([...frame(2, Buffer.from('ab'))], [2, 0, 0, 0, 0, 0, 0, 2, 97, 98]);
  const enc = recordEncoder({ tty: false, stdout: true, stderr: false, timestamps: true });
  assert.equal(enc({ stream: 'stderr', time: '2024-01-01T00:00:00Z', data: Buffer.from('x') }), undefined);
  const out = enc({ stream: 'stdout', time: '2024-01-01T00:00:00Z', data: Buffer.from('x\n') });
  assert.equal(out?.subarray(8).toString(), '2024-01-01T00:00:00.000000000Z x\n');
  assert.equal(recordEncoder({ tty: true })({ stream: 'stdout', time: '', data: Buffer.from('raw') })?.toString(), 'raw');
  assert.equal(streamContentType(false, '1.45'), 'application/vnd.docker.multiplexed-stream');
  assert.equal(streamContentType(false, '1.41'), 'application/vnd.docker.raw-stream');
  assert.equal(streamContentType(true, '1.45'), 'application/vnd.docker.raw-stream');
});

test('events: legacy fields and filters', () => {
  const bus = new EventBus();
  const ev = bus.publish('container', 'die', 'abc123', { name: 'web', image: 'busybox:latest', exitCode: '3', app: 'x' });
  const img = bus.publish('image', 'tag', 'sha256:ff', { name: 'busybox:latest' });
  const json = eventJson(ev);
  assert.equal(json.status, 'die');
  assert.equal(json.id, 'abc123');
  assert.equal(json.from, 'busybox:latest');
  assert.equal(eventJson(img).from, undefined);
  assert.ok(compileEventFilter({ container: ['web'] })(ev));
  assert.ok(compileEventFilter({ container: ['abc'] })(ev));
  assert.ok(!compileEventFilter({ container: ['other'] })(ev));
  assert.ok(compileEventFilter({ image: ['busybox'] })(ev));
  assert.ok(compileEventFilter({ image: ['busybox'] })(img));
  assert.ok(compileEventFilter({ type: ['image'], event: ['tag'] })(img));
  assert.ok(!compileEventFilter({ type: ['image'] })(ev));
  assert.ok(compileEventFilter({ label: ['app=x'] })(ev));
  assert.throws(() => compileEventFilter({ bogus: ['1'] }), { message: "invalid filter 'bogus'" });
});

test('error kinds map to Docker statuses', () => {
  assert.equal(STATUS_BY_KIND['not-found'], 404);
  assert.equal(statusOf(new ConflictError('x')), 409);
  assert.equal(statusOf(new NotModifiedError()), 304);
  assert.equal(statusOf(new BerthError('not-implemented', 'x')), 501);
  assert.equal(statusOf(new BerthError('unavailable', 'x')), 503);
  assert.equal(statusOf(new Error('boom')), 500);
});

test('daemon flags: defaults, repeated -H, --flag=value, errors', () => {
  const d = parseArgs([]).config;
  assert.equal(d.dataRoot, '/var/lib/berth');
  assert.deepEqual(d.hosts, ['unix:///run/berth/berth.sock']);
  assert.equal(d.pidfile, '/run/berth/berthd.pid');
  const c = parseArgs(['--data-root=/d', '--exec-root', '/e', '-H', 'unix:///a.sock', '--host=unix:///b.sock', '--seed-busybox', '--log-level', 'debug']).config;
  assert.deepEqual(c.hosts, ['unix:///a.sock', 'unix:///b.sock']);
  assert.equal(c.pidfile, '/e/berthd.pid');
  assert.equal(c.seedBusybox, true);
  assert.equal(c.logLevel, 'debug');
  assert.throws(() => parseArgs(['--nope']), { message: 'unknown flag: --nope' });
  assert.throws(() => parseArgs(['--data-root']), { message: 'flag needs an argument: --data-root' });
  assert.throws(() => parseArgs(['--log-level', 'loud']), InvalidArgumentError);
  assert.equal(parseArgs(['--help']).help, true);
});
