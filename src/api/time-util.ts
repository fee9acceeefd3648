// Time parsing and formatting the way Docker's API does it.
import { InvalidArgumentError } from '../errors';

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const DURATION_RE = /^([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/;

function parseGoDuration(value: string): number | undefined {
  let rest = value;
  let seconds = 0;
  if (rest === '') return undefined;
  while (rest.length > 0) {
    const m = DURATION_RE.exec(rest);
    if (!m) return undefined;
    seconds += Number.parseFloat(m[1]) * DURATION_UNITS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return seconds;
}

/**
 * Docker's since/until values: unix seconds with an optional fraction ("1700000000.5"),
 * a Go duration relative to now ("10m", "1h30m"), or an RFC 3339 / date string.
 * Returns unix seconds (fractional).
 */
export function parseTimestamp(value: string, name: string, now = Date.now() / 1000): number {
  const v = value.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(v)) {
    const [sec, frac = ''] = v.split('.');
    return Number.parseInt(sec, 10) + (frac ? Number.parseFloat('0.' + frac) : 0);
  }
  const duration = parseGoDuration(v);
  if (duration !== undefined) return now - duration;
  const ms = Date.parse(v);
  if (!Number.isNaN(ms)) {
    // Keep sub-millisecond digits Date.parse drops.
    const frac = /\.([0-9]{4,9})/.exec(v);
    return frac ? Math.floor(ms / 1000) + Number.parseFloat('0.' + frac[1]) : ms / 1000;
  }
  throw new InvalidArgumentError(`failed to parse value as time or duration for ${name}: ${JSON.stringify(value)}`);
}

/** Unix seconds (integer) of an RFC 3339 string; 0 for Go's zero time or garbage. */
export function unixSeconds(rfc3339: string | undefined): number {
  if (!rfc3339 || rfc3339.startsWith('0001-01-01')) return 0;
  const ms = Date.parse(rfc3339);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/**
 * Normalize an RFC 3339 timestamp with any offset and 0–9 fraction digits to UTC
 * with exactly nine fraction digits (Docker's log timestamp format).
 */
export function toRfc3339NanoUtc(time: string): string {
  // Fast path (once per log line): already UTC, "...:SS.fffffffff+00:00" or "...Z".
  if (time.length === 35 && time[19] === '.' && time.endsWith('+00:00')) return `${time.slice(0, 29)}Z`;
  if (time.length === 30 && time[19] === '.' && time[29] === 'Z') return time;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/.exec(time);
  if (!m) return time;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  const wholeMs = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(wholeMs)) return time;
  return new Date(wholeMs).toISOString().slice(0, 19) + '.' + frac + 'Z';
}

/** go-units HumanDuration, used in "Up 3 seconds" / "Exited (0) 2 minutes ago". */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(seconds / 3600 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(seconds / 3600 / 24 / 365)} years`;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';
