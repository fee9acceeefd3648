// Log parsing, option validation (Docker's texts), --details attributes, the rotated file
// set, and reading/following across rotations — on plain files in a temp dir, with the
// test playing conmon (append lines) and berthd's rotator (shift + new file).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LineSplitter, PartialJoiner, parseLogLine } from '../src/container/log-file';
import {
  logAttributes, mergeLogConfig, parseHumanSize, rotationPolicy, validateLogOpts, type LogConfig,
} from '../src/container/log-config';
import { conmonLogSizeMax } from '../src/container/log-rotation';
import { logFileNames, notifyBeforeRotate, shiftLogFiles } from '../src/container/log-files';
import { openLogStream } from '../src/container/log-stream';
import type { LogRecord } from '../src/container/types';
import type { Readable } from 'node:stream';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-logs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let dirCount = 0;
function freshLog(): string {
  const dir = path.join(tmp, String(dirCount++));
  fs.mkdirSync(dir);
  return path.join(dir, 'container.log');
}

const BASE_MS = Date.parse('2024-05-01T10:00:00Z');
/** Line i is written at BASE + i ms (conmon writes nanoseconds and a zone offset). */
function k8sLine(i: number, text: string, stream = 'stdout', tag = 'F'): string {
  const time = new Date(BASE_MS + i).toISOString().replace('Z', '000001+00:00');
  return `${time} ${stream} ${tag} ${text}\n`;
}

async function collect(stream: Readable): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const r of stream) out.push(r as LogRecord);
  return out;
}

const texts = (records: LogRecord[]) => records.map((r) => r.data.toString());

test('parseLogLine: streams, F/P tags, empty and malformed lines', () => {
  const full = parseLogLine(Buffer.from('2024-05-01T10:00:00.000000001+02:00 stderr F hello world'));
  assert.deepEqual({ ...full, data: full?.data.toString() }, { time: '2024-05-01T10:00:00.000000001+02:00', stream: 'stderr', partial: false, data: 'hello world\n' });
  const partial = parseLogLine(Buffer.from('2024-05-01T10:00:00Z stdout P abc'));
  assert.equal(partial?.partial, true);
  assert.equal(partial?.data.toString(), 'abc');
  assert.equal(parseLogLine(Buffer.from('2024-05-01T10:00:00Z stdout F'))?.data.toString(), '\n', 'an empty line');
  assert.equal(parseLogLine(Buffer.from('garbage')), undefined);
  assert.equal(parseLogLine(Buffer.from('2024-05-01T10:00:00Z stdin F x')), undefined);
});

test('LineSplitter keeps an unfinished tail; PartialJoiner joins per stream', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push(Buffer.from('a\nb')).map(String), ['a\n']);
  assert.deepEqual(s.push(Buffer.from('c\n\nd')).map(String), ['bc\n', '\n']);
  const j = new PartialJoiner();
  const chunk = (line: string) => parseLogLine(Buffer.from(line))!;
  assert.equal(j.add(chunk('2024-05-01T10:00:00.1Z stdout P ab')), undefined);
  const err = j.add(chunk('2024-05-01T10:00:00.2Z stderr F e'));
  assert.equal(err?.data.toString(), 'e\n', 'stderr is not held back by a partial stdout line');
  const joined = j.add(chunk('2024-05-01T10:00:00.3Z stdout F cd'));
  assert.equal(joined?.data.toString(), 'abcd\n');
  assert.equal(joined?.time, '2024-05-01T10:00:00.1Z', 'a joined line has the time of its first chunk');
  j.add(chunk('2024-05-01T10:00:00.4Z stdout P tail'));
  assert.deepEqual(j.flush().map((r) => r.data.toString()), ['tail']);
});

test('parseHumanSize: go-units decimal sizes and error texts', () => {
  assert.equal(parseHumanSize('10k'), 10_000);
  assert.equal(parseHumanSize('10K'), 10_000);
  assert.equal(parseHumanSize('1.5m'), 1_500_000);
  assert.equal(parseHumanSize('2MB'), 2_000_000);
  assert.equal(parseHumanSize('2MiB'), 2_000_000);
  assert.equal(parseHumanSize('3 g'), 3_000_000_000);
  assert.equal(parseHumanSize('512'), 512);
  assert.equal(parseHumanSize('7b'), 7);
  assert.throws(() => parseHumanSize('abc'), { message: "invalid size: 'abc'" });
  assert.throws(() => parseHumanSize('10x'), { message: "invalid suffix: 'x'" });
  assert.throws(() => parseHumanSize('10kx'), { message: "invalid suffix: 'kx'" });
  assert.throws(() => parseHumanSize('1.2.3k'), { message: 'strconv.ParseFloat: parsing "1.2.3": invalid syntax' });
  assert.throws(() => parseHumanSize('-5k'), { message: "invalid size: '-5k'" });
});

test('log options: Docker validation texts per driver', () => {
  const bad = (type: string, opts: Record<string, string>, message: string) =>
    assert.throws(() => validateLogOpts(type, opts), { message }, `${type} ${JSON.stringify(opts)}`);
  bad('syslog', {}, "logger: no log driver named 'syslog' is registered");
  bad('json-file', { foo: '1' }, "unknown log opt 'foo' for json-file log driver");
  bad('local', { labels: 'a' }, "unknown log opt 'labels' for log driver local");
  bad('json-file', { 'max-size': 'abc' }, "invalid size: 'abc'");
  bad('json-file', { 'max-size': '0' }, 'max-size must be a positive number');
  bad('json-file', { 'max-size': '1k', 'max-file': '0' }, 'max-file cannot be less than 1');
  bad('json-file', { 'max-file': 'x' }, 'strconv.Atoi: parsing "x": invalid syntax');
  bad('json-file', { compress: 'true', 'max-size': '1k' }, 'compress cannot be true when max-file is less than 2 or max-size is not set');
  bad('json-file', { mode: 'fast' }, 'logger: logging mode not supported: fast');
  bad('json-file', { 'max-buffer-size': '1m' }, "logger: max-buffer-size option is only supported with 'mode=non-blocking'");
  bad('json-file', { 'labels-regex': '(' }, /^error parsing regexp: / as unknown as string);
  validateLogOpts('none', { anything: 'goes' }); // Docker does not look at none's options
  validateLogOpts('json-file', { 'max-size': '10m', 'max-file': '3', labels: 'a', env: 'B', tag: '{{.Name}}', mode: 'non-blocking', 'max-buffer-size': '4m' });
});

test('rotation policy: json-file needs max-size, local has its defaults', () => {
  const policy = (Type: string, Config: Record<string, string>) => rotationPolicy({ Type, Config });
  assert.equal(policy('json-file', {}), undefined);
  assert.equal(policy('json-file', { 'max-file': '3' }), undefined, 'max-file alone does not rotate (as json-file)');
  assert.deepEqual(policy('json-file', { 'max-size': '10k' }), { maxSize: 10_000, maxFiles: 1 });
  assert.deepEqual(policy('json-file', { 'max-size': '10k', 'max-file': '3' }), { maxSize: 10_000, maxFiles: 3 });
  assert.deepEqual(policy('local', {}), { maxSize: 20_000_000, maxFiles: 5 });
  assert.equal(policy('none', {}), undefined);
  // conmon's own limit: the rotation itself for one file, a far-away safety net otherwise.
  assert.equal(conmonLogSizeMax({ maxSize: 10_000, maxFiles: 1 }), 10_000);
  assert.ok((conmonLogSizeMax({ maxSize: 10_000, maxFiles: 3 }) as number) >= 64 * 1024 * 1024);
  assert.equal(conmonLogSizeMax({ maxSize: 100_000_000, maxFiles: 3 }), 300_000_000);
});

test('mergeLogConfig: daemon defaults apply to the default driver only', () => {
  const defaults: LogConfig = { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } };
  assert.deepEqual(mergeLogConfig(undefined, defaults), defaults);
  assert.deepEqual(mergeLogConfig({ Type: '', Config: { 'max-file': '5' } }, defaults), { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '5' } });
  assert.deepEqual(mergeLogConfig({ Type: 'local', Config: {} }, defaults), { Type: 'local', Config: {} });
  assert.throws(() => mergeLogConfig({ Type: 'gelf' }, defaults), { message: "logger: no log driver named 'gelf' is registered" });
});

test('--details attributes: labels, env, regexes, tag; sorted and query-escaped', () => {
  const lc: LogConfig = { Type: 'json-file', Config: { labels: 'a,missing', env: 'FOO', 'env-regex': '^X', 'labels-regex': '^z', tag: 't' } };
  const attrs = logAttributes(lc, { labels: { a: '1 2', b: 'no', zz: 'é/&' }, env: ['FOO=bar=baz', 'XA=1', 'OTHER=2'], tag: () => 'web/1' });
  assert.equal(attrs, 'FOO=bar%3Dbaz,XA=1,a=1+2,tag=web%2F1,zz=%C3%A9%2F%26');
  assert.equal(logAttributes({ Type: 'json-file', Config: {} }, { labels: { a: '1' }, env: ['A=1'] }), '');
});

test('shiftLogFiles keeps at most max-file files, oldest highest', () => {
  const log = freshLog();
  for (let gen = 0; gen < 5; gen++) {
    fs.writeFileSync(log, `gen${gen}`);
    shiftLogFiles(log, 3);
  }
  fs.writeFileSync(log, 'gen5');
  assert.deepEqual(logFileNames(log).map((f) => fs.readFileSync(f, 'utf8')), ['gen3', 'gen4', 'gen5']);
  // A gap left by a crash mid-rotation is still counted and trimmed.
  fs.renameSync(`${log}.1`, `${log}.7`);
  shiftLogFiles(log, 3);
  assert.deepEqual(logFileNames(log).map((f) => path.basename(f)), ['container.log.1', 'container.log']);
  assert.equal(fs.readFileSync(`${log}.1`, 'utf8'), 'gen5');
  assert.equal(fs.existsSync(`${log}.7`), false);
});

test('one-shot read across rotated files: order, tail, since/until, partial lines', async () => {
  const log = freshLog();
  let i = 0;
  const write = (n: number) => { for (let k = 0; k < n; k++, i++) fs.appendFileSync(log, k8sLine(i, `line ${i}`)); };
  write(10); shiftLogFiles(log, 4);
  write(10); shiftLogFiles(log, 4);
  write(5);
  fs.appendFileSync(log, k8sLine(i++, 'part-', 'stdout', 'P') + k8sLine(i++, 'joined'));
  const all = texts(await collect(openLogStream({ file: log, stdout: true, stderr: true, follow: false })));
  assert.equal(all.length, 26);
  assert.deepEqual(all.slice(0, 25), Array.from({ length: 25 }, (_, k) => `line ${k}\n`));
  assert.equal(all[25], 'part-joined\n');
  for (const n of [0, 1, 2, 6, 12, 26, 100]) {
    const tail = texts(await collect(openLogStream({ file: log, stdout: true, stderr: true, follow: false, tail: n })));
    assert.deepEqual(tail, all.slice(all.length - Math.min(n, all.length)), `tail ${n}`);
  }
  const base = BASE_MS / 1000;
  const since = texts(await collect(openLogStream({ file: log, stdout: true, stderr: true, follow: false, since: base + 0.015 })));
  assert.equal(since[0], 'line 15\n');
  const until = texts(await collect(openLogStream({ file: log, stdout: true, stderr: true, follow: false, until: base + 0.0045 })));
  assert.deepEqual(until, ['line 0\n', 'line 1\n', 'line 2\n', 'line 3\n', 'line 4\n']);
});

test('tail counts joined lines even when long lines span many chunks', async () => {
  const log = freshLog();
  let i = 0;
  for (let line = 0; line < 6; line++) {
    for (let p = 0; p < 5; p++) fs.appendFileSync(log, k8sLine(i++, `${line}.${p}-`, 'stdout', 'P'));
    fs.appendFileSync(log, k8sLine(i++, 'end'));
  }
  const tail = texts(await collect(openLogStream({ file: log, stdout: true, stderr: true, follow: false, tail: 2 })));
  assert.deepEqual(tail, ['4.0-4.1-4.2-4.3-4.4-end\n', '5.0-5.1-5.2-5.3-5.4-end\n']);
});

test('follow across rotations: every line once, in order, ends after done', async () => {
  const log = freshLog();
  fs.writeFileSync(log, '');
  let exited!: () => void;
  const done = new Promise<void>((r) => { exited = r; });
  const stream = openLogStream({ file: log, stdout: true, stderr: true, follow: true, done });
  const got = collect(stream);
  let i = 0;
  for (let round = 0; round < 40; round++) {
    for (let k = 0; k < 25; k++, i++) fs.appendFileSync(log, k8sLine(i, `line ${i}`));
    if (round % 3 === 0) {
      // As the rotator: rename away; "conmon" keeps appending to the renamed file a bit before reopening.
      shiftLogFiles(log, 1000); // nothing deleted: a follower holds files open, but only once it saw them
      for (let k = 0; k < 5; k++, i++) fs.appendFileSync(`${log}.1`, k8sLine(i, `line ${i}`));
      await new Promise((r) => setTimeout(r, round % 2 ? 0 : 5));
      fs.writeFileSync(log, '');
    }
    if (round % 4 === 0) await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 20));
  exited();
  const lines = texts(await got);
  assert.equal(lines.length, i);
  assert.deepEqual(lines, Array.from({ length: i }, (_, k) => `line ${k}\n`));
});

test('a follower that does not read during many rotations still gets every line (max-file=2)', async () => {
  const log = freshLog();
  fs.writeFileSync(log, '');
  let exited!: () => void;
  const done = new Promise<void>((r) => { exited = r; });
  const stream = openLogStream({ file: log, stdout: true, stderr: true, follow: true, done });
  stream.pause();
  await new Promise((r) => setTimeout(r, 20));
  let i = 0;
  for (let round = 0; round < 30; round++) {
    for (let k = 0; k < 2000; k++, i++) fs.appendFileSync(log, k8sLine(i, `line ${i}`));
    notifyBeforeRotate(log); // as berthd's rotator does before every shift
    shiftLogFiles(log, 2);
    fs.writeFileSync(log, '');
  }
  assert.deepEqual(logFileNames(log).map((f) => path.basename(f)), ['container.log.1', 'container.log'], 'the old files are gone from disk');
  exited();
  const lines = texts(await collect(stream));
  assert.equal(lines.length, i);
  assert.equal(lines[0], 'line 0\n');
  assert.equal(lines[i - 1], `line ${i - 1}\n`);
  assert.ok(lines.every((l, k) => l === `line ${k}\n`), 'every line once, in order');
});
