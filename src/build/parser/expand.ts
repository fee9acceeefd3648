// Dockerfile variable substitution and word splitting (the builder's own small
// shell lexer): quotes are removed, the escape character escapes, $VAR, ${VAR}
// and ${VAR<op>word} are expanded; nothing is executed.
import { InvalidArgumentError } from '../../errors';

export type Lookup = (name: string) => string | undefined;

export interface ExpandOptions {
  escape?: string; // '\\' (default) or '`'
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** One word: variables expanded, quotes removed. */
export function expandWord(word: string, lookup: Lookup, options: ExpandOptions = {}): string {
  return new Lexer(word, lookup, options).run(false).join('');
}

/** Expanded and split on unquoted whitespace (COPY a b /dst, EXPOSE 80 443, ...). */
export function expandWords(text: string, lookup: Lookup, options: ExpandOptions = {}): string[] {
  return new Lexer(text, lookup, options).run(true);
}

/** Heredoc body with its variables expanded (quotes are plain text there). */
export function expandHeredoc(body: string, lookup: Lookup, options: ExpandOptions = {}): string {
  return new Lexer(body, lookup, options).varsOnly();
}

/** Splits on unquoted whitespace keeping quotes and `$` text as written (ENV/LABEL pairs). */
export function splitRawWords(text: string, escape = '\\'): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote === null && /\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    cur += ch;
    if (ch === escape && quote !== "'" && i + 1 < text.length) {
      cur += text[++i];
    } else if (quote === null && (ch === '"' || ch === "'")) {
      quote = ch;
    } else if (ch === quote) {
      quote = null;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

class Lexer {
  private pos = 0;
  private readonly esc: string;
  private words: string[] = [];
  private cur = '';
  private inWord = false;

  constructor(private readonly src: string, private readonly lookup: Lookup, private readonly opts: ExpandOptions) {
    this.esc = opts.escape ?? '\\';
  }

  run(split: boolean): string[] {
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (split && /\s/.test(ch)) {
        this.endWord();
        this.pos++;
      } else if (ch === "'") {
        this.pos++;
        this.single();
      } else if (ch === '"') {
        this.pos++;
        this.double();
      } else if (ch === this.esc) {
        this.pos++;
        if (this.pos < this.src.length) this.add(this.src[this.pos++]);
      } else if (ch === '$') {
        this.pos++;
        this.addExpanded(this.dollar(), split);
      } else {
        this.add(ch);
        this.pos++;
      }
    }
    this.endWord();
    if (!split && this.words.length === 0) return [''];
    return this.words;
  }

  /** Heredoc bodies: only `$` forms are expanded; quotes stay text. */
  varsOnly(): string {
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === this.esc && this.src[this.pos + 1] === '$') {
        this.add('$');
        this.pos += 2;
      } else if (ch === '$') {
        this.pos++;
        this.add(this.dollar());
      } else {
        this.add(ch);
        this.pos++;
      }
    }
    return this.cur;
  }

  private add(s: string): void {
    this.cur += s;
    this.inWord = true;
  }

  /** Unquoted expansion results split into words too, as the shell does. */
  private addExpanded(value: string, split: boolean): void {
    if (!split) { this.add(value); return; }
    for (const ch of value) {
      if (/\s/.test(ch)) this.endWord(); else this.add(ch);
    }
  }

  private endWord(): void {
    if (this.inWord) this.words.push(this.cur);
    this.cur = '';
    this.inWord = false;
  }

  private single(): void {
    const end = this.src.indexOf("'", this.pos);
    if (end < 0) throw new InvalidArgumentError('unexpected end of statement while looking for matching single-quote');
    this.add(this.src.slice(this.pos, end));
    this.pos = end + 1;
  }

  private double(): void {
    this.inWord = true;
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '"') {
        this.pos++;
        return;
      }
      if (ch === '$') {
        this.pos++;
        this.add(this.dollar());
      } else if (ch === this.esc && this.pos + 1 < this.src.length) {
        const next = this.src[this.pos + 1];
        // Inside double quotes the escape only escapes what is special there.
        if (next === '"' || next === '$' || next === this.esc || next === '`') {
          this.add(next);
        } else {
          this.add(ch + next);
        }
        this.pos += 2;
      } else {
        this.add(ch);
        this.pos++;
      }
    }
    throw new InvalidArgumentError('unexpected end of statement while looking for matching double-quote');
  }

  /** After a `$`: returns the expansion. */
  private dollar(): string {
    const ch = this.src[this.pos];
    if (ch === '{') {
      this.pos++;
      return this.braced();
    }
    if (ch !== undefined && NAME_START.test(ch)) {
      const name = this.name();
      return this.lookup(name) ?? '';
    }
    return '$';
  }

  private name(): string {
    const start = this.pos;
    while (this.pos < this.src.length && NAME_CHAR.test(this.src[this.pos])) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private braced(): string {
    const ch = this.src[this.pos];
    if (ch === undefined || !NAME_START.test(ch)) throw new InvalidArgumentError(`bad substitution: \${${this.src.slice(this.pos, this.src.indexOf('}', this.pos))}}`);
    const name = this.name();
    const value = this.lookup(name);
    if (this.src[this.pos] === '}') {
      this.pos++;
      return value ?? '';
    }
    const op = this.operator();
    const word = this.nestedWord();
    switch (op) {
      case ':-': return value ? value : word;
      case '-': return value !== undefined ? value : word;
      case ':+': return value ? word : '';
      case '+': return value !== undefined ? word : '';
      case ':?': if (!value) throw new InvalidArgumentError(`${name}: ${word || 'parameter null or not set'}`); return value;
      case '?': if (value === undefined) throw new InvalidArgumentError(`${name}: ${word || 'parameter not set'}`); return value;
      case '#': return trimPrefix(value ?? '', word, false);
      case '##': return trimPrefix(value ?? '', word, true);
      case '%': return trimSuffix(value ?? '', word, false);
      case '%%': return trimSuffix(value ?? '', word, true);
      default: throw new InvalidArgumentError(`unsupported modifier (${op}) in substitution`);
    }
  }

  private operator(): string {
    if (this.pos >= this.src.length) throw new InvalidArgumentError("syntax error: missing '}'");
    const two = this.src.slice(this.pos, this.pos + 2);
    if ([':-', ':+', ':?', '##', '%%'].includes(two)) { this.pos += 2; return two; }
    const one = this.src[this.pos];
    if (one !== undefined && '-+?#%'.includes(one)) { this.pos++; return one; }
    throw new InvalidArgumentError(`unsupported modifier (${one ?? ''}) in substitution`);
  }

  /** The word of ${VAR:-word}: up to the matching `}`, itself expanded. */
  private nestedWord(): string {
    let depth = 0;
    const start = this.pos;
    let quote: string | null = null;
    for (; this.pos < this.src.length; this.pos++) {
      const ch = this.src[this.pos];
      if (ch === this.esc && quote !== "'") { this.pos++; continue; }
      if (quote) { if (ch === quote) quote = null; continue; }
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '{') depth++;
      else if (ch === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (this.pos >= this.src.length) throw new InvalidArgumentError("syntax error: missing '}'");
    const inner = this.src.slice(start, this.pos);
    this.pos++;
    return new Lexer(inner, this.lookup, { escape: this.esc }).run(false).join('');
  }
}

function globRegex(pattern: string): string {
  return pattern.split('').map((c) => c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('');
}

function trimPrefix(value: string, pattern: string, longest: boolean): string {
  const re = new RegExp(`^${globRegex(pattern)}`);
  let best = -1;
  for (let i = 0; i <= value.length; i++) {
    if (new RegExp(`${re.source}$`).test(value.slice(0, i))) {
      best = i;
      if (!longest) break;
    }
  }
  return best < 0 ? value : value.slice(best);
}

function trimSuffix(value: string, pattern: string, longest: boolean): string {
  const re = new RegExp(`^${globRegex(pattern)}$`);
  let best = -1;
  for (let i = value.length; i >= 0; i--) {
    if (re.test(value.slice(i))) {
      best = i;
      if (!longest) break;
    }
  }
  return best < 0 ? value : value.slice(0, best);
}
