// Docker's image list filters: reference, dangling, label, before, since.
import { InvalidArgumentError } from '../errors';
import type { Image } from './types';
import { familiarName, parseReference } from './reference';

const KNOWN = new Set(['reference', 'dangling', 'label', 'before', 'since', 'until']);

export function checkFilterKeys(filters: Record<string, string[]>, allowed = KNOWN): void {
  for (const key of Object.keys(filters)) if (!allowed.has(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
}

/** Go's path.Match subset used by Docker's reference filter: *, ?, [...]. */
export function globMatch(pattern: string, text: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return false;
      re += '[' + pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
      i = end;
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try { return new RegExp(re + '$').test(text); } catch { return false; }
}

export function parseBool(key: string, value: string): boolean {
  if (['true', '1', 'True', 'TRUE'].includes(value)) return true;
  if (['false', '0', 'False', 'FALSE'].includes(value)) return false;
  throw new InvalidArgumentError(`Invalid filter '${key}=${value}'`);
}

export function matchesLabels(labels: Record<string, string> | null | undefined, wanted: string[]): boolean {
  const have = labels ?? {};
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return w in have;
    return have[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

/** Seconds since epoch from a unix timestamp (with fraction) or an RFC 3339 date or a Go duration before now. */
export function parseTimestamp(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const dur = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(value);
  if (dur) {
    const mult: Record<string, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
    return Date.now() / 1000 - Number(dur[1]) * mult[dur[2]];
  }
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InvalidArgumentError(`invalid timestamp: ${value}`);
  return t / 1000;
}

export function createdSeconds(image: Image): number {
  const t = Date.parse(image.config.created ?? '');
  return Number.isNaN(t) ? 0 : t / 1000;
}

/** Docker's FamiliarMatch: the pattern against the familiar string, then the familiar name. */
function referenceMatches(ref: string, patterns: string[]): boolean {
  return patterns.some((pattern) => {
    if (globMatch(pattern, ref)) return true;
    try {
      return globMatch(pattern, familiarName(parseReference(ref)));
    } catch { return false; }
  });
}

/**
 * The image with only the references matching the patterns (Docker lists just
 * those), or undefined when none matches.
 */
export function filterByReference(image: Image, patterns: string[]): Image | undefined {
  const repoTags = image.repoTags.filter((r) => referenceMatches(r, patterns));
  const repoDigests = image.repoDigests.filter((r) => referenceMatches(r, patterns));
  return repoTags.length || repoDigests.length ? { ...image, repoTags, repoDigests } : undefined;
}
