// Crafted layer tars that try to write outside the extraction dir are refused
// with InvalidArgumentError naming the entry, and nothing outside changes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractLayer } from '../src/archive';
import { snapshotTree, tarStream, tempDir, type Entry } from './archive-fixtures';

// <tmp>/outside is the target; extraction happens in <tmp>/work/<n>/layer, so
// "../../../outside" from the layer dir reaches it.
const tmp = tempDir('berth-malicious-');
const outside = path.join(tmp, 'outside');
fs.mkdirSync(path.join(outside, 'sub'), { recursive: true });
fs.writeFileSync(path.join(outside, 'victim'), 'original');
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const up = '../../../outside';
const cases: Array<[string, Entry[], string]> = [
  ['dot-dot path', [{ name: `${up}/evil`, body: 'x' }], `${up}/evil`],
  ['dot-dot after a real dir', [{ name: 'a/', type: 'directory' }, { name: 'a/../../escape', body: 'x' }], 'a/../../escape'],
  ['absolute path', [{ name: `${outside}/evil`, body: 'x' }], `${outside}/evil`],
  ['file through a symlinked dir', [{ name: 'link', type: 'symlink', linkname: outside }, { name: 'link/evil', body: 'x' }], 'link/evil'],
  ['overwrite through a symlink', [{ name: 'link', type: 'symlink', linkname: outside }, { name: 'link/victim', body: 'pwned' }], 'link/victim'],
  ['relative symlink chain', [{ name: 'a', type: 'symlink', linkname: '../../..' }, { name: 'a/outside/evil', body: 'x' }], 'a/outside/evil'],
  ['symlink inside a real dir', [{ name: 'd/', type: 'directory' }, { name: 'd/l', type: 'symlink', linkname: '/' }, { name: 'd/l/tmp/evil', body: 'x' }], 'd/l/tmp/evil'],
  ['directory through a symlink', [{ name: 'link', type: 'symlink', linkname: outside }, { name: 'link/newdir/', type: 'directory' }], 'link/newdir/'],
  ['symlink through a symlink', [{ name: 'link', type: 'symlink', linkname: outside }, { name: 'link/s', type: 'symlink', linkname: '/etc' }], 'link/s'],
  ['device through a symlink', [{ name: 'link', type: 'symlink', linkname: outside }, { name: 'link/null', type: 'character-device', devmajor: 1, devminor: 3 }], 'link/null'],
  ['hardlink out of the layer', [{ name: 'hl', type: 'link', linkname: `${up}/victim` }], `${up}/victim`],
  ['hardlink to an absolute path', [{ name: 'hl', type: 'link', linkname: `${outside}/victim` }], `${outside}/victim`],
  ['hardlink through a symlink', [{ name: 'link', type: 'symlink', linkname: outside }, { name: 'hl', type: 'link', linkname: 'link/victim' }], 'link/victim'],
  ['hardlink placed through a symlink', [{ name: 'f', body: 'x' }, { name: 'link', type: 'symlink', linkname: outside }, { name: 'link/hl', type: 'link', linkname: 'f' }], 'link/hl'],
  ['whiteout through a symlink', [{ name: 'link', type: 'symlink', linkname: outside }, { name: 'link/.wh.victim', body: '' }], 'link/.wh.victim'],
  ['opaque marker through a symlink', [{ name: 'link', type: 'symlink', linkname: outside }, { name: 'link/.wh..wh..opq', body: '' }], 'link/.wh..wh..opq'],
  ['whiteout of the parent', [{ name: 'd/.wh...', body: '' }], 'd/.wh...'],
  ['root replaced by a file', [{ name: '.', body: 'x', type: 'file' }], '.'],
];

let n = 0;
for (const [label, entries, named] of cases) {
  test(`refuses ${label}`, async () => {
    const before = snapshotTree(tmp, { times: false });
    const layer = path.join(tmp, 'work', String(n++), 'layer');
    fs.mkdirSync(layer, { recursive: true });
    await assert.rejects(extractLayer(await tarStream(entries), layer), (err: Error & { kind?: string }) => {
      assert.equal(err.kind, 'invalid-argument', err.message);
      assert.ok(err.message.includes(JSON.stringify(named)), `message names the entry: ${err.message}`);
      return true;
    });
    const afterTree = snapshotTree(tmp, { times: false });
    for (const [p, info] of before) {
      if (p.startsWith('work')) continue;
      assert.deepEqual(afterTree.get(p), info, `${p} unchanged`);
    }
    const added = [...afterTree.keys()].filter((p) => !before.has(p) && p !== 'work' && !p.startsWith('work/'));
    assert.deepEqual(added, [], 'nothing created outside the layer dir');
    assert.equal(fs.readFileSync(path.join(outside, 'victim'), 'utf8'), 'original');
  });
}
