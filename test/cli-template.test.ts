// Unit tests: the Go text/template subset used by --format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Template, TemplateSyntaxError, TemplateExecError } from '../src/cli/template';
import { makeStruct } from '../src/cli/format/formatter';

const data = {
  Id: 'abc123', Names: ['/a', '/b'], Count: 3, Ratio: 0.5, Big: 4261000, Empty: '', Nil: null,
  State: { Status: 'running', Pid: 42, Running: true },
  Config: { Labels: { 'com.example.x': 'one', app: 'web' }, Cmd: ['sh', '-c', 'true'], Entrypoint: null },
};
const run = (src: string, d: unknown = data, missingKey?: 'error') => Template.parse(src).execute(d, { missingKey });

test('fields, nested fields, variables and literals', () => {
  assert.equal(run('{{.Id}} {{.State.Status}} {{.State.Pid}} {{.Big}} {{.Ratio}}'), 'abc123 running 42 4261000 0.5');
  assert.equal(run('{{$.Id}} {{$x := .State}}{{$x.Pid}}'), 'abc123 42');
  assert.equal(run('{{"a\\tb"}} {{`raw\\n`}} {{1}} {{true}}'), 'a\tb raw\\n 1 true');
});

test('Go value printing: slices, maps, nil', () => {
  assert.equal(run('{{.Config.Cmd}}'), '[sh -c true]');
  assert.equal(run('{{.Config.Labels}}'), 'map[app:web com.example.x:one]');
  assert.equal(run('{{.Nil}}'), '<no value>');
  assert.equal(run('{{.Missing}}'), '<no value>');
});

test('json, index, join, upper/lower/title, split, pad, truncate, len', () => {
  assert.equal(run('{{json .Config}}'), '{"Labels":{"com.example.x":"one","app":"web"},"Cmd":["sh","-c","true"],"Entrypoint":null}');
  assert.equal(run('{{index .Config.Labels "com.example.x"}}|{{index .Config.Labels "nope"}}|{{index .Names 1}}'), 'one||/b');
  assert.equal(run('{{join .Config.Cmd ","}} {{upper .Id}} {{lower "AB"}} {{title "hello world"}}'), 'sh,-c,true ABC123 ab Hello World');
  assert.equal(run('{{split "a:b" ":"}} [{{pad .Id 1 2}}] [{{pad .Empty 1 1}}] {{truncate .Id 3}} {{len .Names}}'), '[a b] [ abc123  ] [] abc 2');
});

test('if / else if / else, comparisons, and/or/not', () => {
  const t = '{{if eq .State.Status "exited"}}E{{else if .State.Running}}R{{else}}?{{end}}';
  assert.equal(run(t), 'R');
  assert.equal(run('{{if and .Id .Empty}}y{{else}}n{{end}}{{or .Empty .Id}}{{not .Empty}}'), 'nabc123true');
  assert.equal(run('{{if gt .Count 2}}big{{end}}{{if lt 1 2}}<{{end}}{{if ne .Id "x"}}!{{end}}'), 'big<!');
  assert.equal(run('{{if eq .Count 1 2 3}}in{{end}}'), 'in');
});

test('range with variables, else, break/continue; with', () => {
  assert.equal(run('{{range $i, $n := .Names}}{{$i}}={{$n}};{{end}}'), '0=/a;1=/b;');
  assert.equal(run('{{range .Names}}{{.}}{{println}}{{end}}'), '/a\n/b\n');
  assert.equal(run('{{range $k, $v := .Config.Labels}}{{$k}}:{{$v}} {{end}}'), 'app:web com.example.x:one ');
  assert.equal(run('{{range .Nil}}x{{else}}none{{end}}'), 'none');
  assert.equal(run('{{range .Names}}{{if eq . "/b"}}{{break}}{{end}}{{.}}{{end}}'), '/a');
  assert.equal(run('{{range .Names}}{{if eq . "/a"}}{{continue}}{{end}}{{.}}{{end}}'), '/b');
  assert.equal(run('{{with .State}}{{.Pid}}{{end}}{{with .Empty}}x{{else}}empty{{end}}'), '42empty');
});

test('pipelines, parentheses, printf/print/println', () => {
  assert.equal(run('{{.Id | upper | printf "<%s>"}}'), '<ABC123>');
  assert.equal(run('{{(index .Names 0) | len}}'), '2');
  assert.equal(run('{{printf "%-4s|%03d|%q|%v|%5.2f" "ab" 7 "x" .Count 3.14159}}'), 'ab  |007|"x"|3| 3.14');
  assert.equal(run('{{print 1 2 "a" 3}}|{{println "a" 1}}'), '1 2a3|a 1\n');
});

test('trim markers and comments', () => {
  assert.equal(run('a  {{- .Id -}}  \n b'), 'aabc123b');
  assert.equal(run('x{{/* note */}}y {{- /* c */ -}} z'), 'xyz');
});

test('struct contexts: methods with arguments, unknown fields fail, json marshals getters', () => {
  const row = makeStruct('*formatter.ContainerContext', {
    ID: () => 'abc', Label: (name: string) => (name === 'k' ? 'v' : ''), Size: () => '1B',
  });
  assert.equal(Template.parse('{{.ID}} {{.Label "k"}}').execute(row), 'abc v');
  assert.equal(Template.parse('{{json .}}').execute(row), '{"ID":"abc","Size":"1B"}');
  assert.throws(() => Template.parse('{{.Nope}}').execute(row),
    (e: Error) => e instanceof TemplateExecError && /can't evaluate field Nope in type \*formatter.ContainerContext/.test(e.message));
});

test('missingkey=error for inspect', () => {
  assert.throws(() => run('{{.Nope}}', data, 'error'), /template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"/);
  assert.throws(() => run('{{.Nil.X}}', data), /nil pointer evaluating interface \{\}.X/);
});

test('syntax errors are clear and positioned', () => {
  const bad: Array<[string, RegExp]> = [
    ['{{.Id', /unclosed action/],
    ['{{if .Id}}x', /template: :1: unexpected EOF/],
    ['{{end}}', /unexpected \{\{end\}\}/],
    ['{{nofunc .}}', /function "nofunc" not defined/],
    ['{{template "x"}}', /not supported/],
    ['a\n{{"unterminated}}', /template: :2: unterminated quoted string/],
    ['{{break}}', /outside \{\{range\}\}/],
  ];
  for (const [src, re] of bad) {
    assert.throws(() => Template.parse(src), (e: Error) => e instanceof TemplateSyntaxError && re.test(e.message), src);
  }
});
