// Value model shared by the evaluator and the functions: JSON-like data, plus
// "struct" objects (Docker's formatter contexts) whose fields may be methods.

/** Marks an object as a struct: unknown fields are errors, never "<no value>". */
export const STRUCT_TYPE: unique symbol = Symbol('template.struct');

export interface StructObject {
  [STRUCT_TYPE]: string;
  [field: string]: unknown;
}

export class TemplateExecError extends Error {}

export function isStruct(v: unknown): v is StructObject {
  return typeof v === 'object' && v !== null && STRUCT_TYPE in v;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isStruct(v) && !Buffer.isBuffer(v);
}

/** Go's notion of a value's type, for error messages. */
export function typeName(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (isStruct(v)) return v[STRUCT_TYPE];
  if (typeof v === 'function') return 'func';
  return 'map[string]interface {}';
}

/** Go's truth: false, 0, nil and empty strings/slices/maps are false; structs are true. */
export function truth(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isStruct(v)) return true;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function formatFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(n);
  if (abs < 1e-4 || abs >= 1e21) {
    // Go writes at least two exponent digits: 1e-05, 1.5e+21.
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(n);
}

/** fmt.Sprint of one value ("%v"). `nested` values print nil as "<nil>". */
export function printValue(v: unknown, nested = false): string {
  if (v === undefined || v === null) return nested ? '<nil>' : '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map((x) => printValue(x, true)).join(' ')}]`;
  if (isStruct(v)) {
    const fields = Object.keys(v).filter((k) => typeof v[k] !== 'function');
    return `{${fields.map((k) => printValue(v[k], true)).join(' ')}}`;
  }
  if (typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    return `map[${keys.map((k) => `${k}:${printValue(obj[k], true)}`).join(' ')}]`;
  }
  return String(v);
}

export function isNumber(v: unknown): v is number {
  return typeof v === 'number';
}
