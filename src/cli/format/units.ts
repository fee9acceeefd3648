// Human-readable sizes and durations as docker/go-units prints them.

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** Go's fmt "%.<prec>g": shortest of %e/%f for `prec` significant digits, trailing zeros dropped. */
export function formatG(value: number, precision: number): string {
  if (value === 0) return '0';
  const p = Math.max(1, precision);
  const exp = Number(value.toExponential(p - 1).split('e')[1]);
  if (exp < -4 || exp >= p) {
    const [mant, e] = value.toExponential(p - 1).split('e');
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${m}e${sign}${digits}`;
  }
  const fixed = value.toFixed(Math.max(0, p - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** units.HumanSizeWithPrecision: decimal units ("4.26MB" with precision 3). */
export function humanSizeWithPrecision(size: number, precision: number): string {
  let i = 0;
  let s = size;
  while (s >= 1000 && i < DECIMAL_UNITS.length - 1) {
    s /= 1000;
    i++;
  }
  return `${formatG(s, precision)}${DECIMAL_UNITS[i]}`;
}

/** units.HumanSize: 4 significant digits. */
export function humanSize(size: number): string {
  return humanSizeWithPrecision(size, 4);
}

/** units.HumanDuration ("Less than a second", "About a minute", "3 hours"...). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3600000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(ms / 3600000 / 24 / 365)} years`;
}

/** "<duration> ago" from a unix-seconds timestamp. */
export function timeAgo(unixSeconds: number, now = Date.now()): string {
  return `${humanDuration(now - unixSeconds * 1000)} ago`;
}

/** units.RAMInBytes: "512m" → 536870912 (binary units, optional b/ib suffix). */
export function ramInBytes(text: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) throw new Error(`invalid size: '${text}'`);
  const n = Number(m[1]);
  const suffix = m[2].toLowerCase();
  if (suffix === '' || suffix === 'b') return Math.trunc(n);
  const mult: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
  const unit = mult[suffix[0]];
  if (!unit || suffix.length > 3 || (suffix.length === 2 && suffix[1] !== 'b') || (suffix.length === 3 && suffix.slice(1) !== 'ib')) {
    throw new Error(`invalid suffix: '${suffix}'`);
  }
  return Math.trunc(n * unit);
}

/** Docker's Ellipsis: cut to `max` display columns, the last one an "…". */
export function ellipsis(text: string, max: number): string {
  const chars = [...text];
  if (max <= 0) return '';
  if (chars.length <= max) return text;
  if (max === 1) return chars[0];
  return chars.slice(0, max - 1).join('') + '…';
}

/** stringid.TruncateID: drop "sha256:" and keep 12 characters. */
export function truncateId(id: string): string {
  const i = id.indexOf(':');
  const bare = i >= 0 ? id.slice(i + 1) : id;
  return bare.slice(0, 12);
}

/** units.BytesSize: binary units with 4 significant digits ("7.5GiB"). */
export function bytesSize(size: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];
  let i = 0;
  let s = size;
  while (s >= 1024 && i < units.length - 1) {
    s /= 1024;
    i++;
  }
  return `${formatG(s, 4)}${units[i]}`;
}

/** Go's strconv.Quote for the common cases (control characters escaped, Unicode kept). */
export function goQuote(text: string): string {
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (named[ch]) out += named[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}
