// Dockerfile text → raw instructions: parser directives, comments, line
// continuations, heredocs, flags and the JSON (exec) form.
import { InvalidArgumentError } from '../../errors';
import type { Heredoc, ParsedDockerfile, RawInstruction } from './types';

export const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
const JSON_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME']);
const HEREDOC_FORM = new Set(['RUN', 'COPY', 'ADD']);
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_MARK = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;

/** "Dockerfile:12: message" */
export class DockerfileSyntaxError extends InvalidArgumentError {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
  }
}

export function parseDockerfile(text: string, file = 'Dockerfile'): ParsedDockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const directives: Record<string, string> = {};
  let i = 0;
  // Parser directives: only at the very top; the first other line ends them.
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]);
    if (!m) break;
    const key = m[1].toLowerCase();
    if (!KNOWN_DIRECTIVES.has(key)) break;
    if (key in directives) throw new DockerfileSyntaxError(file, i + 1, `only one ${key} parser directive can be used`);
    directives[key] = m[2];
  }
  const escape = directives.escape ?? '\\';
  if (escape !== '\\' && escape !== '`') throw new DockerfileSyntaxError(file, 1, `invalid escape token '${escape}' does not match ` + '` or \\');
  const continuation = new RegExp(`${escape === '\\' ? '\\\\' : '`'}[ \\t]*$`);

  const instructions: RawInstruction[] = [];
  while (i < lines.length) {
    const trimmed = lines[i].trim();
    if (trimmed === '' || trimmed.startsWith('#')) { i++; continue; }
    const start = i;
    let logical = '';
    // Join continuation lines; comment and empty lines inside are dropped.
    for (;;) {
      const raw = lines[i];
      const t = raw.trim();
      if (i > start && (t === '' || t.startsWith('#'))) {
        i++;
        if (i >= lines.length) break;
        continue;
      }
      const piece = i === start ? raw.replace(/^\s+/, '') : raw;
      i++;
      if (continuation.test(piece)) {
        logical += piece.replace(continuation, '');
        if (i >= lines.length) break;
        continue;
      }
      logical += piece;
      break;
    }
    const endLine = i;
    const parsed = splitInstruction(logical, file, start + 1, endLine);
    if (HEREDOC_FORM.has(parsed.keyword) && !parsed.json) {
      for (const mark of heredocMarks(parsed.rest)) {
        const body: string[] = [];
        for (;;) {
          if (i >= lines.length) throw new DockerfileSyntaxError(file, start + 1, `unterminated heredoc ${mark.name}`);
          let line = lines[i++];
          if (mark.stripTabs) line = line.replace(/^\t+/, '');
          if (line === mark.name) break;
          body.push(`${line}\n`);
        }
        parsed.heredocs.push({ name: mark.name, content: body.join(''), expand: mark.expand });
      }
      parsed.endLine = i;
    }
    instructions.push(parsed);
  }
  return { file, escape, directives, instructions };
}

function splitInstruction(logical: string, file: string, line: number, endLine: number): RawInstruction {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(logical);
  const word = m ? m[1] : logical;
  const keyword = word.toUpperCase();
  if (!KEYWORDS.has(keyword)) throw new DockerfileSyntaxError(file, line, `unknown instruction: ${word}`);
  let rest = (m ? m[2] : '').trim();
  const flags: string[] = [];
  // Builder flags: leading --name[=value] words (ONBUILD's belong to its trigger).
  if (keyword !== 'ONBUILD') {
    for (;;) {
      const f = /^--([A-Za-z][A-Za-z0-9-]*)(=("[^"]*"|\S*))?(\s+|$)/.exec(rest);
      if (!f) break;
      flags.push(`--${f[1]}${f[2] ?? ''}`.replace(/="([^"]*)"$/, '=$1'));
      rest = rest.slice(f[0].length);
    }
  }
  const out: RawInstruction = { keyword, flags, rest, heredocs: [], original: logical.trim(), line, endLine };
  if (JSON_FORM.has(keyword) && rest.startsWith('[')) {
    const json = tryJsonArray(rest);
    if (json) out.json = json;
  }
  return out;
}

function tryJsonArray(text: string): string[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  } catch {
    // not JSON: shell form
  }
  return undefined;
}

interface HeredocMark { name: string; expand: boolean; stripTabs: boolean }

export function heredocMarks(rest: string): HeredocMark[] {
  const marks: HeredocMark[] = [];
  for (const m of rest.matchAll(HEREDOC_MARK)) {
    marks.push({ name: m[3], expand: m[2] === '', stripTabs: m[1] === '-' });
  }
  return marks;
}

export type { Heredoc };
