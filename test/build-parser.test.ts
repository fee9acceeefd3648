// Dockerfile parser: directives, comments, continuations, forms, heredocs, flags,
// variable substitution, and errors naming file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  expandHeredoc, expandWord, expandWords, parseDockerfile, parseGoDuration, toCommands,
  type CopyCommand, type HealthcheckCommand, type PairsCommand, type RunCommand,
} from '../src/build/parser';

const env: Record<string, string> = { A: 'alpha', E: '', SP: 'x y', P: '/usr/local/bin' };
const lookup = (n: string) => env[n];

test('directives: syntax and escape at the top only', () => {
  const df = parseDockerfile('# syntax=docker/dockerfile:1\n# escape=`\nFROM busybox\nRUN echo a `\n  b\n');
  assert.equal(df.directives.syntax, 'docker/dockerfile:1');
  assert.equal(df.escape, '`');
  assert.equal(df.instructions[1].rest, 'echo a   b');
  const late = parseDockerfile('FROM busybox\n# escape=`\nRUN echo \\\n b\n');
  assert.equal(late.escape, '\\');
  assert.equal(late.instructions.length, 2);
  const afterComment = parseDockerfile('# hello\n# escape=`\nFROM x\n');
  assert.equal(afterComment.escape, '\\');
  assert.throws(() => parseDockerfile('# escape=x\nFROM a\n'), /invalid escape token/);
  assert.throws(() => parseDockerfile('# escape=`\n# escape=\\\nFROM a\n'), /Dockerfile:2: only one escape parser directive/);
});

test('comments, blank lines and continuations with comments inside', () => {
  const df = parseDockerfile([
    '  # leading comment', '', 'FROM busybox AS base', 'RUN echo one \\', '  # inner comment', '', '    two',
    'env A=1 \\', '    B=2', 'CMD ["sh", "-c", "echo hi"]',
  ].join('\n'));
  const [from, run, envI, cmd] = df.instructions;
  assert.equal(from.keyword, 'FROM');
  assert.equal(from.line, 3);
  assert.equal(run.rest, 'echo one     two');
  assert.equal(run.line, 4);
  assert.equal(envI.keyword, 'ENV');
  assert.equal(envI.line, 8);
  assert.deepEqual(cmd.json, ['sh', '-c', 'echo hi']);
});

test('exec and shell forms; invalid JSON falls back to shell form', () => {
  const cmds = toCommands(parseDockerfile('FROM a\nRUN ["echo","x"]\nRUN [not json\nENTRYPOINT ["/bin/app"]\nCMD echo $HOME\n'));
  assert.deepEqual((cmds[1] as RunCommand).form, { exec: ['echo', 'x'] });
  assert.deepEqual((cmds[2] as RunCommand).form, { shell: '[not json' });
  assert.equal(cmds[3].kind, 'ENTRYPOINT');
  assert.deepEqual((cmds[4] as { form: unknown }).form, { shell: 'echo $HOME' });
});

test('heredocs: RUN script, COPY file, quoted delimiter, <<- strips tabs, several in one line', () => {
  const df = parseDockerfile([
    'FROM busybox',
    'RUN <<EOF',
    'echo one',
    'echo "$HOME"',
    'EOF',
    'COPY <<"CONF" /etc/app.conf',
    'name=$A',
    'CONF',
    'RUN <<-A cat > /a && <<B cat > /b',
    '\t\tindented',
    '\tA',
    'plain',
    'B',
    'CMD ["sh"]',
  ].join('\n'));
  const cmds = toCommands(df);
  const run = cmds[1] as RunCommand;
  assert.equal(run.heredocs.length, 1);
  assert.equal(run.heredocs[0].content, 'echo one\necho "$HOME"\n');
  assert.equal(run.heredocs[0].expand, true);
  const copy = cmds[2] as CopyCommand;
  assert.deepEqual(copy.sources, ['<<CONF']);
  assert.equal(copy.dest, '/etc/app.conf');
  assert.equal(copy.heredocs[0].expand, false);
  assert.equal(copy.heredocs[0].content, 'name=$A\n');
  const two = cmds[3] as RunCommand;
  assert.deepEqual(two.heredocs.map((h) => [h.name, h.content]), [['A', 'indented\n'], ['B', 'plain\n']]);
  assert.equal(cmds[4].kind, 'CMD');
  assert.equal(cmds[4].raw.line, 14);
  assert.throws(() => parseDockerfile('FROM a\nRUN <<EOF\necho\n'), /Dockerfile:2: unterminated heredoc EOF/);
});

test('flags: known ones parsed, unknown ones refused with the line', () => {
  const cmds = toCommands(parseDockerfile([
    'FROM --platform=linux/amd64 busybox AS Build',
    'COPY --from=build --chown=1:2 --chmod=644 a b /dst/',
    'ADD --checksum=sha256:abc http://127.0.0.1/x /x',
    'RUN --network=none --mount=type=cache,target=/c --mount=type=tmpfs,target=/t true',
    'HEALTHCHECK --interval=5s --timeout=1m30s --retries=3 CMD wget -q localhost || exit 1',
  ].join('\n')));
  assert.equal(cmds[0].kind === 'FROM' && cmds[0].platform, 'linux/amd64');
  assert.equal(cmds[0].kind === 'FROM' && cmds[0].name, 'build');
  const copy = cmds[1] as CopyCommand;
  assert.deepEqual([copy.from, copy.chown, copy.chmod, copy.sources, copy.dest], ['build', '1:2', '644', ['a', 'b'], '/dst/']);
  assert.equal((cmds[2] as CopyCommand).checksum, 'sha256:abc');
  const run = cmds[3] as RunCommand;
  assert.equal(run.network, 'none');
  assert.deepEqual(run.mounts, ['type=cache,target=/c', 'type=tmpfs,target=/t']);
  const hc = cmds[4] as HealthcheckCommand;
  assert.deepEqual(hc.test, ['CMD-SHELL', 'wget -q localhost || exit 1']);
  assert.equal(hc.interval, 5e9);
  assert.equal(hc.timeout, 90e9);
  assert.equal(hc.retries, 3);
  assert.throws(() => toCommands(parseDockerfile('FROM a\n\nCOPY --frm=x a b\n')), /^DockerfileSyntaxError: Dockerfile:3: Unknown flag: frm$/);
});

test('errors name the file and the line', () => {
  assert.throws(() => parseDockerfile('FROM a\nRUN x\n\n\n\n\n\n\n\n\n\nFORM b\n'), (e: Error) => e.message === 'Dockerfile:12: unknown instruction: FORM');
  assert.throws(() => parseDockerfile('FROM a\nBOGUS x\n', 'sub/app.Dockerfile'), /^DockerfileSyntaxError: sub\/app\.Dockerfile:2: unknown instruction: BOGUS$/);
  const bad: Array<[string, RegExp]> = [
    ['FROM a b\n', /Dockerfile:1: FROM requires either one or three arguments/],
    ['FROM a\nCOPY onlyone\n', /Dockerfile:2: COPY requires at least two arguments/],
    ['FROM a\nENV\n', /Dockerfile:2: ENV requires at least one argument/],
    ['FROM a\nENV A=1 B\n', /Dockerfile:2: Syntax error - can't find = in "B"/],
    ['FROM a\nENV ONLY\n', /Dockerfile:2: ENV must have two arguments/],
    ['FROM a\nSHELL /bin/bash -c\n', /Dockerfile:2: SHELL requires the arguments to be in JSON form/],
    ['FROM a\nHEALTHCHECK --interval=xx CMD true\n', /Dockerfile:2: time: invalid duration "xx"/],
    ['FROM a\nHEALTHCHECK WHAT\n', /Dockerfile:2: Unknown type "WHAT" in HEALTHCHECK/],
    ['FROM a\nONBUILD ONBUILD RUN x\n', /Dockerfile:2: Chaining ONBUILD/],
    ['FROM a\nRUN\n', /Dockerfile:2: RUN requires at least one argument/],
    ['FROM a AS 1x\n', /invalid name for build stage/],
  ];
  for (const [text, re] of bad) assert.throws(() => toCommands(parseDockerfile(text)), re, text);
});

test('ENV and LABEL pairs keep quotes until expansion; legacy form', () => {
  const cmds = toCommands(parseDockerfile('FROM a\nENV A="x y" B=$C\\ d\nENV OLD value with  spaces\nLABEL "com.x"="1" b=2\n'));
  assert.deepEqual((cmds[1] as PairsCommand).pairs, [['A', '"x y"'], ['B', '$C\\ d']]);
  assert.deepEqual((cmds[2] as PairsCommand).pairs, [['OLD', 'value with  spaces']]);
  assert.deepEqual((cmds[3] as PairsCommand).pairs, [['"com.x"', '"1"'], ['b', '2']]);
});

test('substitution: $VAR, ${VAR}, defaults, alternates, escapes, quotes', () => {
  const cases: Array<[string, string]> = [
    ['$A', 'alpha'], ['${A}', 'alpha'], ['pre${A}post', 'prealphapost'], ['$Apost', ''],
    ['${NOPE:-def}', 'def'], ['${E:-def}', 'def'], ['${E-def}', ''], ['${NOPE-def}', 'def'],
    ['${A:+alt}', 'alt'], ['${E:+alt}', ''], ['${E+alt}', 'alt'], ['${NOPE+alt}', ''],
    ['${NOPE:-$A}', 'alpha'], ['${NOPE:-${A:+x}y}', 'xy'],
    ['\\$A', '$A'], ["'$A'", '$A'], ['"$A"', 'alpha'], ['"\\$A"', '$A'], ['a\\ b', 'a b'],
    ['"a\\nb"', 'a\\nb'], ['$', '$'], ['$1', '$1'], ['${P#*/}', 'usr/local/bin'], ['${P##*/}', 'bin'],
    ['${P%/*}', '/usr/local'], ['${P%%/l*}', '/usr'],
  ];
  for (const [input, want] of cases) assert.equal(expandWord(input, lookup), want, input);
  assert.equal(expandWord('`$A', lookup, { escape: '`' }), '$A');
  assert.throws(() => expandWord('${NOPE:?must be set}', lookup), /NOPE: must be set/);
  assert.throws(() => expandWord('"open', lookup), /matching double-quote/);
  assert.throws(() => expandWord('${A', lookup), /missing '}'/);
});

test('word splitting: unquoted whitespace and unquoted expansions split', () => {
  assert.deepEqual(expandWords('a  "b c" $SP \'d e\' ${E}', lookup), ['a', 'b c', 'x', 'y', 'd e']);
  assert.deepEqual(expandWords('"$SP" ""', lookup), ['x y', '']);
});

test('heredoc bodies: only variables expand', () => {
  assert.equal(expandHeredoc('say "$A" \'${A}\' \\$A\n', lookup), 'say "alpha" \'alpha\' $A\n');
});

test('Go durations', () => {
  assert.equal(parseGoDuration('1h2m3.5s'), 3723.5e9);
  assert.equal(parseGoDuration('250ms'), 250e6);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('5'), undefined);
  assert.equal(parseGoDuration('1x'), undefined);
});
