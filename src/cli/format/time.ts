// Time formatting and parsing with Go's layouts, as Docker's CLI prints and reads times.

const pad = (n: number, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');

function offsetText(date: Date, colon: boolean, zulu: boolean): string {
  const off = -date.getTimezoneOffset();
  if (off === 0 && zulu) return 'Z';
  const sign = off < 0 ? '-' : '+';
  return `${sign}${pad(off / 60)}${colon ? ':' : ''}${pad(off % 60)}`;
}

function zoneAbbrev(date: Date): string {
  if (date.getTimezoneOffset() === 0 && (!process.env.TZ || /^(UTC|Etc\/UTC|UTC0|GMT)$/.test(process.env.TZ))) return 'UTC';
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? offsetText(date, false, false);
  } catch {
    return offsetText(date, false, false);
  }
}

function localDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function localClock(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Go's time.Time.String() for whole seconds: "2024-01-02 15:04:05 +0000 UTC". */
export function goTimeString(date: Date): string {
  return `${localDate(date)} ${localClock(date)} ${offsetText(date, false, false)} ${zoneAbbrev(date)}`;
}

/** time.RFC3339 in local time: "2024-01-02T15:04:05Z" / "...+01:00". */
export function rfc3339(date: Date): string {
  return `${localDate(date)}T${localClock(date)}${offsetText(date, true, true)}`;
}

/** Docker's RFC3339NanoFixed from nanoseconds since the epoch (9 fraction digits). */
export function rfc3339NanoFixed(unixNanos: bigint): string {
  const ms = Number(unixNanos / 1_000_000n);
  const date = new Date(ms);
  const frac = String(((unixNanos % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).padStart(9, '0');
  return `${localDate(date)}T${localClock(date)}.${frac}${offsetText(date, true, true)}`;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

/** Go's time.ParseDuration ("1h30m", "10s", "-5m"); milliseconds, or undefined. */
export function parseGoDuration(text: string): number | undefined {
  const m = /^([+-]?)((?:[0-9]*\.?[0-9]+(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(text);
  if (!m) return undefined;
  if (m[2] === '0') return 0;
  let total = 0;
  for (const part of m[2].matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * DURATION_UNITS[part[2]];
  }
  return m[1] === '-' ? -total : total;
}

/**
 * Docker's timetypes.GetTimestamp: a Go duration (relative to now), an RFC 3339-like
 * date (local time unless it carries a zone), or a unix timestamp passed through.
 */
export function getTimestamp(value: string, now = Date.now()): string {
  const d = parseGoDuration(value);
  if (d !== undefined && value !== '0') return String(Math.trunc((now - d) / 1000));
  const date = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?)?(Z|z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (date) {
    const [, y, mo, dd, hh = '0', mi = '0', ss = '0', frac = '', zone] = date;
    let ms: number;
    if (zone) {
      const iso = `${y}-${mo}-${dd}T${hh.padStart(2, '0')}:${mi.padStart(2, '0')}:${ss.padStart(2, '0')}${zone.toUpperCase()}`;
      ms = Date.parse(iso);
    } else {
      ms = new Date(Number(y), Number(mo) - 1, Number(dd), Number(hh), Number(mi), Number(ss)).getTime();
    }
    if (Number.isNaN(ms)) throw new Error(`parsing time "${value}": invalid date`);
    const nanos = frac ? frac.slice(1).padEnd(9, '0') : '000000000';
    return `${Math.floor(ms / 1000)}.${nanos}`;
  }
  if (value.includes('-')) throw new Error(`parsing time "${value}" as "2006-01-02T15:04:05Z07:00": cannot parse "${value}"`);
  if (!/^\d+(\.\d{1,9})?$/.test(value)) throw new Error(`failed to parse value as time or duration: "${value}"`);
  return value;
}
