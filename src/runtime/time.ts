// RFC 3339 timestamps with nanoseconds, as Docker prints them ("2024-05-01T10:00:00.123456789Z").

export function nanoTimeToRfc3339(ns: bigint): string {
  const ms = ns / 1000000n;
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  const frac = (ns % 1000000000n).toString().padStart(9, '0');
  return `${base}.${frac}Z`;
}

const hrOrigin = process.hrtime.bigint();
const wallOrigin = BigInt(Date.now()) * 1000000n;

/** Now, with nanosecond digits (monotonic offset from the wall clock at load time). */
export function nowRfc3339Nano(): string {
  return nanoTimeToRfc3339(wallOrigin + (process.hrtime.bigint() - hrOrigin));
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Seconds since the epoch (fractional) of an RFC 3339 time with up to 9 fraction digits and any offset. */
export function rfc3339ToSeconds(time: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(time);
  if (!m) return NaN;
  const whole = Date.parse(m[1] + m[3]) / 1000;
  const frac = m[2] ? Number('0.' + m[2]) : 0;
  return whole + frac;
}
