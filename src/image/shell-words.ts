// Word splitting and variable expansion for Dockerfile-style change lines, after
// Docker's shell lexer: quotes group words, `\` escapes, $VAR / ${VAR} /
// ${VAR:-default} / ${VAR:+alt} expand from the image's environment (not inside
// single quotes).
import { InvalidArgumentError } from '../errors';

export type EnvLookup = (name: string) => string | undefined;

export function envLookup(env: string[] | undefined): EnvLookup {
  const map = new Map<string, string>();
  for (const e of env ?? []) {
    const eq = e.indexOf('=');
    if (eq > 0) map.set(e.slice(0, eq), e.slice(eq + 1));
  }
  return (name) => map.get(name);
}

/** Reads a `$...` expansion starting at text[i] === '$'; returns the value and the index after it. */
function expand(text: string, i: number, env: EnvLookup): { value: string; next: number } {
  const rest = text.slice(i + 1);
  const simple = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
  if (simple) return { value: env(simple[0]) ?? '', next: i + 1 + simple[0].length };
  if (rest.startsWith('{')) {
    const close = rest.indexOf('}');
    if (close < 0) throw new InvalidArgumentError(`missing '}' in: ${text}`);
    const body = rest.slice(1, close);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([\s\S]*))?$/.exec(body);
    if (!m) throw new InvalidArgumentError(`bad substitution: \${${body}}`);
    const current = env(m[1]);
    let value = current ?? '';
    if (m[2] === '-' && !current) value = m[3];
    if (m[2] === '+') value = current ? m[3] : '';
    return { value, next: i + 2 + close };
  }
  return { value: '$', next: i + 1 };
}

/**
 * Splits `text` into words with quote removal; with `env`, variables expand.
 * `k="a b"` is one word `k=a b`. With `split` false the whole text is one word.
 */
export function shellWords(text: string, env?: EnvLookup, split = true): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | null = null;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote === "'") {
      if (ch === "'") quote = null; else cur += ch;
    } else if (ch === '$' && env) {
      const { value, next } = expand(text, i, env);
      cur += value;
      any = true;
      i = next - 1;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < text.length && '"\\$'.includes(text[i + 1])) cur += text[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") { quote = ch; any = true; }
    else if (ch === '\\' && i + 1 < text.length) { cur += text[++i]; any = true; }
    else if (split && /\s/.test(ch)) { if (any) out.push(cur); cur = ''; any = false; }
    else { cur += ch; any = true; }
  }
  if (quote) throw new InvalidArgumentError(`unexpected end of statement while looking for matching ${quote}`);
  if (any) out.push(cur);
  return out;
}

/** One word: quotes removed, variables expanded, whitespace kept. */
export function processWord(text: string, env: EnvLookup): string {
  return shellWords(text, env, false)[0] ?? '';
}

/** `[ "a", "b" ]` when the text is a JSON array of strings (Dockerfile exec form). */
export function jsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch { /* shell form */ }
  return undefined;
}

/** Go's time.ParseDuration for the units a HEALTHCHECK uses; returns nanoseconds. */
export function parseGoDuration(text: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) { total += Number(m[1]) * units[m[2]]; pos = re.lastIndex; }
  if (pos === 0 || pos !== text.length) throw new InvalidArgumentError(`time: invalid duration "${text}"`);
  return Math.round(total);
}
