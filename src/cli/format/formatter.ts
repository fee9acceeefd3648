// Docker's --format handling: "table", "table TEMPLATE", "json" and raw templates,
// rendered per row, with table headers from a header context and tabwriter columns.
import { HEADER_FUNCS, STRUCT_TYPE, Template, type StructObject } from '../template';
import { tabwrite } from './tabwriter';
import { CliError } from '../errors';

export type Getter = (...args: never[]) => unknown;

/** A row context: fields are getters, like the methods of Docker's formatter contexts. */
export function makeStruct(type: string, fields: Record<string, Getter>, json?: () => unknown): StructObject {
  const obj: StructObject = { [STRUCT_TYPE]: type };
  for (const [k, fn] of Object.entries(fields)) obj[k] = fn;
  // {{json .}} marshals every zero-argument getter, keys sorted (Docker's MarshalJSON).
  Object.defineProperty(obj, 'toJSON', {
    enumerable: false,
    value: json ?? (() => {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(fields).sort()) {
        const getter = obj[k] as Getter;
        if (getter.length === 0) out[k] = (getter as () => unknown)();
      }
      return out;
    }),
  });
  return obj;
}

export function isTableFormat(format: string): boolean {
  return format.startsWith('table');
}

/** The template text of a format: "json" → {{json .}}, "table X" → X, \t and \n unescaped. */
export function templateText(format: string): string {
  if (format === 'json') return '{{json .}}';
  if (format === 'table') return '';
  let out = format.startsWith('table') ? format.slice(5) : format;
  out = out.replace(/^ +| +$/g, '');
  return out.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
}

export function parseFormat(format: string): Template {
  try {
    return Template.parse(templateText(format));
  } catch (err) {
    throw new CliError(`template parsing error: ${(err as Error).message}`, 1);
  }
}

/** Header context: a field's column title, "" for unknown fields, .Label "a.b-c" → "b c". */
function headerContext(header: Record<string, string>): Record<string, unknown> {
  return {
    ...header,
    Label: (name: string) => String(name).split('.').pop()!.replace(/[-_]/g, ' '),
  };
}

/** Render rows with a Docker format string; returns the full output text. */
export function renderRows(format: string, rows: StructObject[], header: Record<string, string>): string {
  const tmpl = parseFormat(format);
  let body = '';
  for (const row of rows) {
    try {
      body += tmpl.execute(row) + '\n';
    } catch (err) {
      throw new CliError(`template parsing error: ${(err as Error).message}`, 1);
    }
  }
  if (!isTableFormat(format)) return body;
  let head = '';
  try {
    head = tmpl.execute(headerContext(header), { missingKey: 'zero', overrides: HEADER_FUNCS });
  } catch {
    head = '';
  }
  return tabwrite(`${head}\n${body}`);
}
