// Unit tests: sizes, durations, times, tabwriter tables and Docker's row contexts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesSize, ellipsis, formatG, humanDuration, humanSize, humanSizeWithPrecision, ramInBytes, truncateId } from '../src/cli/format/units';
import { getTimestamp, parseGoDuration, rfc3339NanoFixed } from '../src/cli/format/time';
import { tabwrite } from '../src/cli/format/tabwriter';
import { renderRows, templateText } from '../src/cli/format/formatter';
import { containerContext, CONTAINER_HEADERS, DEFAULT_PS_FORMAT, displayPorts } from '../src/cli/contexts/container';
import { IMAGE_HEADERS, DEFAULT_IMAGES_FORMAT, imageRows } from '../src/cli/contexts/image';
import { summarize, DEFAULT_DF_FORMAT, DF_HEADERS } from '../src/cli/contexts/disk-usage';
import type { ContainerSummary, ImageSummary } from '../src/client/types';

test('human sizes like go-units (decimal, %g precision)', () => {
  assert.equal(humanSizeWithPrecision(4261000, 3), '4.26MB');
  assert.equal(humanSizeWithPrecision(133_200_000, 3), '133MB');
  assert.equal(humanSizeWithPrecision(0, 3), '0B');
  assert.equal(humanSizeWithPrecision(999, 3), '999B');
  assert.equal(humanSizeWithPrecision(1000, 3), '1kB');
  assert.equal(humanSizeWithPrecision(999_960, 3), '1e+03kB'); // Go's %.3g rounds up into exponent form
  assert.equal(humanSize(4261234), '4.261MB');
  assert.equal(bytesSize(8 * 1024 ** 3 - 512 * 1024 ** 2), '7.5GiB');
  assert.equal(formatG(0.0000123, 3), '1.23e-05');
});

test('human durations like go-units', () => {
  const s = 1000;
  assert.equal(humanDuration(500), 'Less than a second');
  assert.equal(humanDuration(1 * s), '1 second');
  assert.equal(humanDuration(59 * s), '59 seconds');
  assert.equal(humanDuration(60 * s), 'About a minute');
  assert.equal(humanDuration(45 * 60 * s), '45 minutes');
  assert.equal(humanDuration(60 * 60 * s), 'About an hour');
  assert.equal(humanDuration(5 * 3600 * s), '5 hours');
  assert.equal(humanDuration(3 * 86400 * s), '3 days');
  assert.equal(humanDuration(20 * 86400 * s), '2 weeks');
  assert.equal(humanDuration(90 * 86400 * s), '3 months');
  assert.equal(humanDuration(800 * 86400 * s), '2 years');
});

test('RAM sizes, ellipsis, IDs', () => {
  assert.equal(ramInBytes('512m'), 512 * 1024 * 1024);
  assert.equal(ramInBytes('1GiB'), 1024 ** 3);
  assert.equal(ramInBytes('100'), 100);
  assert.throws(() => ramInBytes('12x'), /invalid suffix: 'x'/);
  assert.throws(() => ramInBytes('abc'), /invalid size/);
  assert.equal(ellipsis('sh -c "sleep 1000; echo hi"', 20), 'sh -c "sleep 1000; …');
  assert.equal(ellipsis('short', 20), 'short');
  assert.equal(truncateId('sha256:0123456789abcdef0123'), '0123456789ab');
});

test('durations and timestamps for --since/--until', () => {
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('-5s'), -5000);
  assert.equal(parseGoDuration('10'), undefined);
  const now = Date.UTC(2024, 0, 2, 3, 4, 5);
  assert.equal(getTimestamp('10m', now), String(now / 1000 - 600));
  assert.equal(getTimestamp('2024-01-02T03:04:05Z', now), `${now / 1000}.000000000`);
  assert.equal(getTimestamp('2024-01-02T03:04:05.5+01:00', now), `${now / 1000 - 3600}.500000000`);
  assert.equal(getTimestamp('1700000000.123', now), '1700000000.123');
  assert.throws(() => getTimestamp('yesterday', now), /failed to parse value as time or duration: "yesterday"/);
  process.env.TZ = 'UTC';
  assert.equal(rfc3339NanoFixed(1_700_000_000_000_000_123n).endsWith('.000000123Z'), true);
});

test('tabwriter: minwidth 10, padding 3, column blocks per run of lines', () => {
  const out = tabwrite('REPOSITORY\tTAG\tIMAGE ID\nbusybox\tlatest\tabc\nno-tabs line\na\tb\n');
  assert.equal(out, [
    'REPOSITORY   TAG       IMAGE ID',
    'busybox      latest    abc',
    'no-tabs line',
    'a         b',
    '',
  ].join('\n'));
  // Width counts code points, so an ellipsis is one column.
  assert.equal(tabwrite('ab…\tx\nabcdefghij\ty\n'), 'ab…          x\nabcdefghij   y\n');
});

test('format strings: table/json/raw', () => {
  assert.equal(templateText('table {{.ID}}\\t{{.Names}}'), '{{.ID}}\t{{.Names}}');
  assert.equal(templateText('json'), '{{json .}}');
  assert.equal(templateText('  {{.ID}}\\n'), '{{.ID}}\n');
});

const container: ContainerSummary = {
  Id: 'f'.repeat(64), Names: ['/web'], Image: 'busybox', ImageID: 'sha256:' + 'a'.repeat(64),
  Command: 'sh -c "sleep 1000; echo done"', Created: Math.floor(Date.now() / 1000) - 120, Ports: [],
  Labels: { b: '2', a: '1' }, State: 'running', Status: 'Up 2 minutes', SizeRw: 1234, SizeRootFs: 4261000,
};

test('ps table: Docker columns, truncation, quoting, header from the template', () => {
  const out = renderRows(DEFAULT_PS_FORMAT, [containerContext(container, true)], CONTAINER_HEADERS);
  const lines = out.split('\n');
  assert.equal(lines[0], 'CONTAINER ID   IMAGE     COMMAND                   CREATED         STATUS         PORTS     NAMES');
  assert.equal(lines[1], 'ffffffffffff   busybox   "sh -c \\"sleep 1000; …"   2 minutes ago   Up 2 minutes             web');
  // A reference with registry and digest is shown in its familiar short form.
  const named = containerContext({ ...container, Image: 'docker.io/library/busybox:1.36@sha256:' + 'd'.repeat(64) }, true);
  assert.equal((named.Image as () => string)(), 'busybox:1.36');
  const custom = renderRows('table {{.ID}}\t{{.Label "a"}}\t{{.Size}}', [containerContext(container, false)], CONTAINER_HEADERS);
  assert.equal(custom, `CONTAINER ID${' '.repeat(55)}a         SIZE\n${'f'.repeat(64)}   1         1.23kB (virtual 4.26MB)\n`);
  const json = JSON.parse(renderRows('json', [containerContext(container, true)], CONTAINER_HEADERS)) as Record<string, string>;
  assert.equal(json.Names, 'web');
  assert.equal(json.Labels, 'a=1,b=2');
  assert.equal(json.State, 'running');
});

test('ports display groups ranges like Docker', () => {
  assert.equal(displayPorts([
    { PrivatePort: 80, Type: 'tcp' }, { PrivatePort: 81, Type: 'tcp' },
    { IP: '0.0.0.0', PrivatePort: 443, PublicPort: 8443, Type: 'tcp' }, { PrivatePort: 53, Type: 'udp' },
  ]), '53/udp, 80-81/tcp, 0.0.0.0:8443->443/tcp');
});

test('images rows: one per tag, <none> for dangling, digests on request', () => {
  const img: ImageSummary = {
    Id: 'sha256:' + 'b'.repeat(64), ParentId: '', RepoTags: ['busybox:latest', 'busybox:1.36', 'example.com/x:v1'],
    RepoDigests: ['busybox@sha256:' + 'c'.repeat(64)], Created: Math.floor(Date.now() / 1000) - 7200, Size: 4261000,
    SharedSize: -1, Labels: null, Containers: -1,
  };
  const dangling: ImageSummary = { ...img, RepoTags: [], RepoDigests: [] };
  const out = renderRows(DEFAULT_IMAGES_FORMAT, [...imageRows(img, true, false), ...imageRows(dangling, true, false)], IMAGE_HEADERS);
  assert.equal(out, [
    'REPOSITORY      TAG       IMAGE ID       CREATED       SIZE',
    'busybox         latest    bbbbbbbbbbbb   2 hours ago   4.26MB',
    'busybox         1.36      bbbbbbbbbbbb   2 hours ago   4.26MB',
    'example.com/x   v1        bbbbbbbbbbbb   2 hours ago   4.26MB',
    '<none>          <none>    bbbbbbbbbbbb   2 hours ago   4.26MB',
    '',
  ].join('\n'));
  const withDigests = imageRows(img, true, true).map((r) => (r.Digest as () => string)());
  assert.deepEqual(withDigests, ['sha256:' + 'c'.repeat(64), 'sha256:' + 'c'.repeat(64), '<none>']);
});

test('system df summary', () => {
  const out = renderRows(DEFAULT_DF_FORMAT, summarize({
    LayersSize: 4261000,
    Images: [{ Id: 'x', ParentId: '', RepoTags: [], RepoDigests: [], Created: 0, Size: 4261000, SharedSize: 0, Labels: null, Containers: 1 }],
    Containers: [{ ...container, State: 'exited', SizeRw: 100 }],
    Volumes: [], BuildCache: [],
  }), DF_HEADERS);
  assert.equal(out, [
    'TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE',
    'Images          1         1         4.261MB   0B (0%)',
    'Containers      1         0         100B      100B (100%)',
    'Local Volumes   0         0         0B        0B',
    'Build Cache     0         0         0B        0B',
    '',
  ].join('\n'));
});
