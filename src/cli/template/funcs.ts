// Template functions: Go's text/template builtins and Docker's additions
// (json, split, join, title, lower, upper, pad, truncate).
import { sprintf } from './printf';
import { isMap, isStruct, printValue, TemplateExecError, truth, typeName } from './values';

export type TemplateFunc = (...args: unknown[]) => unknown;
export type FuncMap = Record<string, TemplateFunc>;

/** Functions evaluated lazily by the executor (they short-circuit). */
export const SPECIAL_FORMS = new Set(['and', 'or']);

function want(n: number, name: string, args: unknown[]): void {
  if (args.length !== n) throw new TemplateExecError(`wrong number of args for ${name}: want ${n} got ${args.length}`);
}

function str(v: unknown, fn: string): string {
  if (typeof v !== 'string') throw new TemplateExecError(`wrong type for value; expected string; got ${typeName(v)} (in ${fn})`);
  return v;
}

function int(v: unknown, fn: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TemplateExecError(`wrong type for value; expected int; got ${typeName(v)} (in ${fn})`);
  return v;
}

function compare(a: unknown, b: unknown, fn: string): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new TemplateExecError(`error calling ${fn}: incompatible types for comparison`);
}

function equal(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'object' || typeof b === 'object') {
    if (a === null || a === undefined || b === null || b === undefined) return false;
    throw new TemplateExecError('error calling eq: non-comparable types');
  }
  if (typeof a !== typeof b) throw new TemplateExecError('error calling eq: incompatible types for comparison');
  return a === b;
}

/** Go's strings.Title: upper-case the first letter of each word. */
function title(s: string): string {
  let prevSep = true;
  let out = '';
  for (const ch of s) {
    out += prevSep ? ch.toUpperCase() : ch;
    prevSep = !/[\p{L}\p{N}_]/u.test(ch);
  }
  return out;
}

function indexOne(item: unknown, key: unknown): unknown {
  if (item === undefined || item === null) {
    // Docker's typed maps (Labels) give "" for a nil map; nothing else is indexable.
    if (typeof key === 'string') return '';
    throw new TemplateExecError('error calling index: index of untyped nil');
  }
  if (Array.isArray(item) || typeof item === 'string') {
    const i = int(key, 'index');
    if (i < 0 || i >= item.length) throw new TemplateExecError(`error calling index: index out of range: ${i}`);
    return Array.isArray(item) ? item[i] : item.charCodeAt(i);
  }
  if (isMap(item)) {
    const k = String(key);
    if (Object.prototype.hasOwnProperty.call(item, k)) return item[k];
    // A map of strings (labels, options) yields "" for a missing key, like Go's map[string]string.
    const values = Object.values(item);
    return values.length === 0 || values.every((v) => typeof v === 'string') ? '' : undefined;
  }
  throw new TemplateExecError(`error calling index: can't index item of type ${typeName(item)}`);
}

function sprint(args: unknown[]): string {
  // fmt.Sprint adds spaces between operands when neither is a string.
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += printValue(a, true);
  });
  return out;
}

function toJSON(v: unknown): string {
  const text = v === undefined ? 'null' : JSON.stringify(v) ?? 'null';
  // Docker's formatter contexts marshal themselves with json.Marshal, which escapes HTML
  // characters; plain data goes through an encoder with escaping off.
  return isStruct(v) ? text.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026') : text;
}

function join(elems: unknown, sep: unknown): string {
  const s = str(sep, 'join');
  if (elems === null || elems === undefined) return '';
  if (Array.isArray(elems)) return elems.map((e) => printValue(e, true)).join(s);
  if (isMap(elems)) return Object.values(elems).map((e) => printValue(e, true)).sort().join(s);
  throw new TemplateExecError(`error calling join: expected slice, got ${typeName(elems)}`);
}

export const BUILTINS: FuncMap = {
  not: (...a) => { want(1, 'not', a); return !truth(a[0]); },
  len: (...a) => {
    want(1, 'len', a);
    const v = a[0];
    if (typeof v === 'string') return Buffer.byteLength(v);
    if (Array.isArray(v)) return v.length;
    if (isMap(v)) return Object.keys(v).length;
    throw new TemplateExecError(`error calling len: len of type ${typeName(v)}`);
  },
  index: (item, ...keys) => keys.reduce((acc, k) => indexOne(acc, k), item),
  slice: (item, ...idx) => {
    if (typeof item !== 'string' && !Array.isArray(item)) throw new TemplateExecError(`error calling slice: can't slice item of type ${typeName(item)}`);
    const [i = 0, j = item.length] = idx.map((x) => int(x, 'slice'));
    if (i < 0 || j > item.length || i > j) throw new TemplateExecError(`error calling slice: index out of range: ${j}`);
    return item.slice(i, j);
  },
  print: (...a) => sprint(a),
  println: (...a) => a.map((x) => printValue(x, true)).join(' ') + '\n',
  printf: (format, ...a) => sprintf(str(format, 'printf'), a),
  eq: (a, ...bs) => {
    if (bs.length === 0) throw new TemplateExecError('error calling eq: missing argument for comparison');
    return bs.some((b) => equal(a, b));
  },
  ne: (...a) => { want(2, 'ne', a); return !equal(a[0], a[1]); },
  lt: (...a) => { want(2, 'lt', a); return compare(a[0], a[1], 'lt') < 0; },
  le: (...a) => { want(2, 'le', a); return compare(a[0], a[1], 'le') <= 0; },
  gt: (...a) => { want(2, 'gt', a); return compare(a[0], a[1], 'gt') > 0; },
  ge: (...a) => { want(2, 'ge', a); return compare(a[0], a[1], 'ge') >= 0; },
  html: (...a) => sprint(a).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;'),
  js: (...a) => sprint(a).replace(/[\\'"<>&=]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`),
  urlquery: (...a) => encodeURIComponent(sprint(a)).replace(/%20/g, '+'),
  // Docker's functions.
  json: (...a) => { want(1, 'json', a); return toJSON(a[0]); },
  split: (s, sep) => str(s, 'split').split(str(sep, 'split')),
  join: (elems, sep) => join(elems, sep),
  title: (s) => title(str(s, 'title')),
  lower: (s) => str(s, 'lower').toLowerCase(),
  upper: (s) => str(s, 'upper').toUpperCase(),
  pad: (s, prefix, suffix) => {
    const v = str(s, 'pad');
    return v === '' ? v : ' '.repeat(int(prefix, 'pad')) + v + ' '.repeat(int(suffix, 'pad'));
  },
  truncate: (s, n) => {
    const v = str(s, 'truncate');
    const len = int(n, 'truncate');
    return v.length < len ? v : v.slice(0, len);
  },
};

/** Docker renders table headers with these in place of the formatting functions. */
export const HEADER_FUNCS: FuncMap = {
  json: (v) => v,
  split: (v) => v,
  join: (v) => v,
  title: (v) => v,
  lower: (v) => v,
  upper: (v) => v,
  truncate: (v) => v,
};

export function funcNames(extra: FuncMap = {}): Set<string> {
  return new Set([...Object.keys(BUILTINS), ...Object.keys(extra), ...SPECIAL_FORMS]);
}

