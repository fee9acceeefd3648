// Lexer for a Go text/template subset: text runs and {{ actions }}, with "{{-"/"-}}"
// whitespace trimming and {{/* comments */}}.

export type TokenType =
  | 'text' | 'left' | 'right' | 'field' | 'variable' | 'identifier' | 'string' | 'number'
  | 'char' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'dot' | 'eof';

export interface Token {
  type: TokenType;
  value: string;
  /** Byte offset in the template source (for error positions). */
  pos: number;
  /** Whitespace separated this token from the previous one inside an action. */
  spaced: boolean;
}

export class TemplateSyntaxError extends Error {}

/** 1-based line of an offset, as Go's template errors report it. */
export function lineOf(src: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < src.length; i++) if (src[i] === '\n') line++;
  return line;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string) => /[\p{L}\p{N}_]/u.test(c);

export function lex(src: string): Token[] {
  const tokens: Token[] = [];
  const fail = (pos: number, msg: string) => new TemplateSyntaxError(`template: :${lineOf(src, pos)}: ${msg}`);
  let i = 0;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    const trimLeft = open >= 0 && /^\{\{-[ \t\r\n]/.test(src.slice(open, open + 4));
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    if (open >= 0 && trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    if (text) tokens.push({ type: 'text', value: text, pos: i, spaced: false });
    if (open < 0) break;
    trimNext = false;
    i = open + 2 + (trimLeft ? 2 : 0);
    // Comments: {{/* ... */}} (optionally trimmed).
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw fail(i, 'unclosed comment');
      let j = end + 2;
      const trimRight = src.startsWith(' -}}', j);
      if (trimRight) j += 2;
      if (!src.startsWith('}}', j)) throw fail(j, 'comment ends before closing delimiter');
      i = j + 2;
      trimNext = trimRight;
      continue;
    }
    tokens.push({ type: 'left', value: '{{', pos: open, spaced: false });
    let spaced = false;
    for (;;) {
      if (i >= src.length) throw fail(open, 'unclosed action');
      const c = src[i];
      if (src.startsWith('}}', i)) {
        tokens.push({ type: 'right', value: '}}', pos: i, spaced });
        i += 2;
        break;
      }
      if (isSpace(c)) {
        // " -}}" trims the whitespace after the action.
        let j = i;
        while (j < src.length && isSpace(src[j])) j++;
        if (src.startsWith('-}}', j)) {
          tokens.push({ type: 'right', value: '}}', pos: j, spaced: true });
          i = j + 3;
          trimNext = true;
          break;
        }
        i = j;
        spaced = true;
        continue;
      }
      const start = i;
      const push = (type: TokenType, value: string) => {
        tokens.push({ type, value, pos: start, spaced });
        spaced = false;
      };
      if (c === '|') { push('pipe', c); i++; continue; }
      if (c === '(') { push('lparen', c); i++; continue; }
      if (c === ')') { push('rparen', c); i++; continue; }
      if (c === ',') { push('comma', c); i++; continue; }
      if (c === ':' && src[i + 1] === '=') { push('declare', ':='); i += 2; continue; }
      if (c === '=') { push('assign', '='); i++; continue; }
      if (c === '"') {
        let j = i + 1;
        while (j < src.length && src[j] !== '"') {
          if (src[j] === '\\') j++;
          if (src[j] === '\n') throw fail(i, 'unterminated quoted string');
          j++;
        }
        if (j >= src.length) throw fail(i, 'unterminated quoted string');
        push('string', src.slice(i, j + 1));
        i = j + 1;
        continue;
      }
      if (c === '`') {
        const j = src.indexOf('`', i + 1);
        if (j < 0) throw fail(i, 'unterminated raw quoted string');
        push('string', src.slice(i, j + 1));
        i = j + 1;
        continue;
      }
      if (c === "'") {
        const m = /^'(\\.|[^\\'])'/u.exec(src.slice(i));
        if (!m) throw fail(i, 'unterminated character constant');
        push('char', m[0]);
        i += m[0].length;
        continue;
      }
      if (c === '.' || c === '$') {
        let j = i + 1;
        while (j < src.length && isAlnum(src[j])) j++;
        const word = src.slice(i, j);
        if (c === '.' && word === '.') {
          if (/[0-9]/.test(src[j] ?? '')) { /* ".5" number */ } else { push('dot', '.'); i = j; continue; }
        } else {
          push(c === '.' ? 'field' : 'variable', word);
          i = j;
          continue;
        }
      }
      if (/[0-9+\-.]/.test(c)) {
        const m = /^[+-]?(0[xX][0-9a-fA-F_]+|(\d[\d_]*)?\.?\d*([eE][+-]?\d+)?)/.exec(src.slice(i));
        if (!m || m[0] === '' || m[0] === '+' || m[0] === '-' || m[0] === '.') throw fail(i, `bad number syntax: "${src.slice(i, i + 8)}"`);
        push('number', m[0]);
        i += m[0].length;
        continue;
      }
      if (isAlnum(c)) {
        let j = i;
        while (j < src.length && isAlnum(src[j])) j++;
        push('identifier', src.slice(i, j));
        i = j;
        continue;
      }
      throw fail(i, `unexpected "${c}" in command`);
    }
  }
  tokens.push({ type: 'eof', value: '', pos: src.length, spaced: false });
  return tokens;
}
