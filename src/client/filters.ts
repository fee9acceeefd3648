// Docker's filter arguments: "key=value" strings on the command line, a JSON map of
// key → {value: true} on the wire.
import type { Filters } from './types';

export class FilterFormatError extends Error {}

/** Parse repeated "key=value" filter flags. */
export function parseFilters(args: readonly string[], into: Filters = {}): Filters {
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new FilterFormatError('bad format of filter (expected name=value)');
    const key = arg.slice(0, eq).trim().toLowerCase();
    const value = arg.slice(eq + 1).trim();
    (into[key] ??= {})[value] = true;
  }
  return into;
}

export function addFilter(filters: Filters, key: string, value: string): Filters {
  (filters[key] ??= {})[value] = true;
  return filters;
}

export function encodeFilters(filters: Filters | undefined): string | undefined {
  if (!filters || Object.keys(filters).length === 0) return undefined;
  return JSON.stringify(filters);
}
