// What the legacy builder records as each step's container_config.Cmd (and so as
// history created_by once joined with spaces): "/bin/sh -c #(nop)  CMD [\"sh\"]"
// for metadata steps, "|N K=V /bin/sh -c <cmd>" for RUN with build args.

/** Go's %q of a string. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u([0-9a-f]{4})/g, (_m, hex: string) => `\\u${hex}`);
}

/** Go's %q of a []string: ["a" "b"]. */
export function goQuoteList(list: string[]): string {
  return `[${list.map(goQuote).join(' ')}]`;
}

/** The nop Cmd of a metadata step, as the legacy builder writes it. */
export function nopCmd(shell: string[], text: string): string[] {
  return [...shell, `#(nop) `, text];
}

/** Go's time.Duration String(), for nanoseconds. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const units: Array<[number, string]> = [[3600e9, 'h'], [60e9, 'm']];
  let out = '';
  let rest = ns;
  if (rest < 1e9) {
    if (rest < 1e3) return `${rest}ns`;
    if (rest < 1e6) return `${trim(rest / 1e3)}µs`;
    return `${trim(rest / 1e6)}ms`;
  }
  for (const [size, unit] of units) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return `${out}${trim(rest / 1e9)}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}

/** Go's %q of a small int (a rune literal), as moby's HEALTHCHECK commit string shows Retries. */
export function goRune(n: number): string {
  if (n >= 0x20 && n < 0x7f) return n === 0x27 ? "'\\''" : n === 0x5c ? "'\\\\'" : `'${String.fromCharCode(n)}'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
  if (named[n]) return `'${named[n]}'`;
  return `'\\x${n.toString(16).padStart(2, '0')}'`;
}
