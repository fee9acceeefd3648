// Unit tests: the pflag-style flag parser and the global flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags, FlagError, type FlagDef } from '../src/cli/flags';
import { parseGlobal } from '../src/cli/global-flags';

const defs: FlagDef[] = [
  { name: 'detach', short: 'd', kind: 'bool', usage: '' },
  { name: 'interactive', short: 'i', kind: 'bool', usage: '' },
  { name: 'tty', short: 't', kind: 'bool', usage: '' },
  { name: 'name', kind: 'string', usage: '' },
  { name: 'env', short: 'e', kind: 'list', usage: '' },
  { name: 'last', short: 'n', kind: 'int', default: -1, usage: '' },
  { name: 'hostname', short: 'h', kind: 'string', usage: '' },
  { name: 'sig-proxy', kind: 'bool', default: true, usage: '' },
];

test('long flags with space and =, repeatable lists', () => {
  const r = parseFlags(defs, ['--name', 'x', '--env=A=1', '-e', 'B=2', '--env', 'C', 'img']);
  assert.equal(r.flags.string('name'), 'x');
  assert.deepEqual(r.flags.list('env'), ['A=1', 'B=2', 'C']);
  assert.deepEqual(r.args, ['img']);
});

test('combined short bools and attached values', () => {
  const r = parseFlags(defs, ['-dit', '-n5', '-eK=V', '-n=7']);
  assert.equal(r.flags.bool('detach'), true);
  assert.equal(r.flags.bool('interactive'), true);
  assert.equal(r.flags.bool('tty'), true);
  assert.equal(r.flags.int('last'), 7);
  assert.deepEqual(r.flags.list('env'), ['K=V']);
  const r2 = parseFlags(defs, ['-ie', 'X=1']);
  assert.equal(r2.flags.bool('interactive'), true);
  assert.deepEqual(r2.flags.list('env'), ['X=1']);
});

test('defaults, changed() and bool values', () => {
  const r = parseFlags(defs, ['--sig-proxy=false', '--detach=true']);
  assert.equal(r.flags.int('last'), -1);
  assert.equal(r.flags.changed('last'), false);
  assert.equal(r.flags.bool('sig-proxy'), false);
  assert.equal(r.flags.bool('detach'), true);
  assert.equal(parseFlags(defs, []).flags.bool('sig-proxy'), true);
});

test('interspersed=false stops at the first positional (docker run IMAGE CMD...)', () => {
  const r = parseFlags(defs, ['-d', 'busybox', 'sh', '-c', 'echo --name', '-d'], { interspersed: false });
  assert.equal(r.flags.bool('detach'), true);
  assert.deepEqual(r.args, ['busybox', 'sh', '-c', 'echo --name', '-d']);
  const r2 = parseFlags(defs, ['a', '-d', 'b']);
  assert.deepEqual(r2.args, ['a', 'b']);
  assert.equal(r2.flags.bool('detach'), true);
});

test('-- ends flags; a lone - is an argument', () => {
  const r = parseFlags(defs, ['-d', '--', '-t', '-']);
  assert.deepEqual(r.args, ['-t', '-']);
  assert.equal(r.flags.bool('tty'), false);
  assert.deepEqual(parseFlags(defs, ['-']).args, ['-']);
});

test('errors use pflag texts', () => {
  assert.throws(() => parseFlags(defs, ['--nope']), new FlagError('unknown flag: --nope'));
  assert.throws(() => parseFlags(defs, ['-x']), new FlagError("unknown shorthand flag: 'x' in -x"));
  assert.throws(() => parseFlags(defs, ['-dx']), new FlagError("unknown shorthand flag: 'x' in -dx"));
  assert.throws(() => parseFlags(defs, ['--name']), new FlagError('flag needs an argument: --name'));
  assert.throws(() => parseFlags(defs, ['-n']), new FlagError("flag needs an argument: 'n' in -n"));
  assert.throws(() => parseFlags(defs, ['-n', 'abc']),
    new FlagError('invalid argument "abc" for "-n, --last" flag: strconv.ParseInt: parsing "abc": invalid syntax'));
  assert.throws(() => parseFlags(defs, ['--detach=maybe']),
    new FlagError('invalid argument "maybe" for "-d, --detach" flag: strconv.ParseBool: parsing "maybe": invalid syntax'));
});

test('--help everywhere; -h is help only when the command does not use -h', () => {
  assert.equal(parseFlags(defs, ['--help']).help, true);
  const r = parseFlags(defs, ['-h', 'myhost']);
  assert.equal(r.help, false);
  assert.equal(r.flags.string('hostname'), 'myhost');
  assert.equal(parseFlags([{ name: 'all', short: 'a', kind: 'bool', usage: '' }], ['-h']).help, true);
});

test('validators wrap their message like pflag', () => {
  const v: FlagDef[] = [{ name: 'memory', short: 'm', kind: 'string', usage: '', validate: (x) => { if (x === 'bad') throw new Error("invalid size: 'bad'"); } }];
  assert.throws(() => parseFlags(v, ['-m', 'bad']), new FlagError('invalid argument "bad" for "-m, --memory" flag: invalid size: \'bad\''));
  assert.equal(parseFlags(v, ['-m', '1g']).flags.string('memory'), '1g');
});

test('global flags before the command', () => {
  const g = parseGlobal(['-H', 'unix:///x.sock', '--debug', 'ps', '-a']);
  assert.equal(g.host, 'unix:///x.sock');
  assert.equal(g.debug, true);
  assert.deepEqual(g.rest, ['ps', '-a']);
  assert.equal(parseGlobal(['--host=tcp://1.2.3.4:2375', 'info']).host, 'tcp://1.2.3.4:2375');
  assert.equal(parseGlobal(['-Hunix:///y', 'info']).host, 'unix:///y');
  assert.equal(parseGlobal(['-v']).version, true);
  assert.throws(() => parseGlobal(['--nope', 'ps']), /unknown flag: --nope/);
});
