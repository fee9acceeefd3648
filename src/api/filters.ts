// Docker's `filters` query parameter: JSON {"key": {"value": true}} (current form)
// or the legacy {"key": ["value"]}; both become key → values.
import { InvalidArgumentError } from '../errors';

export type FilterMap = Record<string, string[]>;

export function parseFilters(raw: string | null | undefined): FilterMap {
  if (raw === null || raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new InvalidArgumentError(`invalid filter: ${(err as Error).message}`);
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('invalid filter: expected a JSON object');
  const out: FilterMap = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value)) {
      out[key] = value.map((v) => {
        if (typeof v !== 'string') throw new InvalidArgumentError(`invalid filter '${key}': values must be strings`);
        return v;
      });
    } else if (value !== null && typeof value === 'object') {
      out[key] = Object.entries(value as Record<string, unknown>).filter(([, on]) => on === true).map(([v]) => v);
    } else {
      throw new InvalidArgumentError(`invalid filter '${key}'`);
    }
  }
  return out;
}

/** Reject keys outside `accepted` with Docker's "invalid filter 'x'". */
export function validateFilterKeys(filters: FilterMap, accepted: readonly string[]): void {
  for (const key of Object.keys(filters)) {
    if (!accepted.includes(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
  }
}

/** Docker's label filter: "key" (present) or "key=value" (equal), all must match. */
export function matchLabels(values: string[] | undefined, labels: Record<string, string> | null | undefined): boolean {
  if (!values || values.length === 0) return true;
  const have = labels ?? {};
  return values.every((v) => {
    const eq = v.indexOf('=');
    if (eq < 0) return Object.prototype.hasOwnProperty.call(have, v);
    return have[v.slice(0, eq)] === v.slice(eq + 1);
  });
}
