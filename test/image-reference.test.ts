// Reference parsing against Docker's distribution/reference behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarString, fullString, normalizeReference, parseReference } from '../src/image';
import { InvalidArgumentError } from '../src/errors';

const D = 'sha256:' + 'ab'.repeat(32);

// input → [full reference, familiar form]
const VALID: Array<[string, string, string]> = [
  ['busybox', 'docker.io/library/busybox', 'busybox'],
  ['busybox:latest', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['library/busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
  ['docker.io/busybox', 'docker.io/library/busybox', 'busybox'],
  ['index.docker.io/busybox:1', 'docker.io/library/busybox:1', 'busybox:1'],
  ['docker.io/library/a/b', 'docker.io/library/a/b', 'library/a/b'],
  ['user/repo', 'docker.io/user/repo', 'user/repo'],
  ['localhost/a', 'localhost/a', 'localhost/a'],
  ['localhost:5000/x/y:1', 'localhost:5000/x/y:1', 'localhost:5000/x/y:1'],
  ['127.0.0.1:5000/x', '127.0.0.1:5000/x', '127.0.0.1:5000/x'],
  ['[::1]:5000/x:v', '[::1]:5000/x:v', '[::1]:5000/x:v'],
  ['Foo/bar', 'Foo/bar', 'Foo/bar'],
  ['a.b/c__d/e-f.g_h', 'a.b/c__d/e-f.g_h', 'a.b/c__d/e-f.g_h'],
  ['a---b', 'docker.io/library/a---b', 'a---b'],
  [`busybox@${D}`, `docker.io/library/busybox@${D}`, `busybox@${D}`],
  [`busybox:1@${D}`, `docker.io/library/busybox:1@${D}`, `busybox:1@${D}`],
  ['example.com/team/thing:v2', 'example.com/team/thing:v2', 'example.com/team/thing:v2'],
  ['x:' + 'T'.repeat(128), 'docker.io/library/x:' + 'T'.repeat(128), 'x:' + 'T'.repeat(128)],
];

const INVALID: Array<[string, string]> = [
  ['', 'invalid reference format'],
  ['Busybox', 'invalid reference format: repository name (library/Busybox) must be lowercase'],
  ['user/Repo:1', 'invalid reference format: repository name (user/Repo) must be lowercase'],
  ['example.com/Team/x', 'invalid reference format: repository name (Team/x) must be lowercase'],
  ['a b', 'invalid reference format'],
  ['busybox:', 'invalid reference format'],
  [':tag', 'invalid reference format'],
  ['-a/b', 'invalid reference format'],
  ['a_/b', 'invalid reference format'],
  ['a..b/c', 'invalid reference format'],
  ['localhost:abc/x', 'invalid reference format'],
  ['x:' + 'a'.repeat(129), 'invalid reference format'],
  ['x:-a', 'invalid reference format'],
  ['busybox@sha256:abc', 'invalid reference format'],
  ['busybox@sha256:' + 'a'.repeat(40), 'invalid checksum digest length'],
  ['busybox@sha256:' + 'A'.repeat(64), 'invalid checksum digest format'],
  ['ab'.repeat(32), `invalid repository name (${'ab'.repeat(32)}), cannot specify 64-byte hexadecimal strings`],
  ['a/'.repeat(130) + 'b', 'repository name must not be more than 255 characters'],
];

test('valid references parse and print like Docker', () => {
  for (const [input, full, familiar] of VALID) {
    const ref = parseReference(input);
    assert.equal(fullString(ref), full, input);
    assert.equal(familiarString(ref), familiar, input);
  }
});

test('invalid references give Docker\'s error texts', () => {
  for (const [input, message] of INVALID) {
    assert.throws(() => parseReference(input), (err: unknown) => {
      assert.ok(err instanceof InvalidArgumentError, `${input}: ${String(err)}`);
      assert.equal(err.message, message, input);
      return true;
    });
  }
});

test('normalizeReference adds latest and drops the default domain', () => {
  assert.equal(normalizeReference('busybox'), 'busybox:latest');
  assert.equal(normalizeReference('docker.io/library/busybox:1'), 'busybox:1');
  assert.equal(normalizeReference('127.0.0.1:5000/x/y'), '127.0.0.1:5000/x/y:latest');
  assert.equal(normalizeReference(`busybox@${D}`), `busybox@${D}`);
  assert.deepEqual(parseReference('localhost/a'), { domain: 'localhost', path: 'a', tag: undefined, digest: undefined });
});
