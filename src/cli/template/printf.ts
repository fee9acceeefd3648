// A subset of Go's fmt.Sprintf for the template "printf" function: verbs
// v s d q t x X o f F e g c % with flags (- + 0 space #), width and precision.
import { printValue } from './values';

function pad(text: string, width: number | undefined, left: boolean, zero: boolean): string {
  if (width === undefined || text.length >= width) return text;
  if (left) return text + ' '.repeat(width - text.length);
  if (zero) {
    const sign = /^[+-]/.test(text) ? text[0] : '';
    const body = sign ? text.slice(1) : text;
    return sign + '0'.repeat(width - text.length) + body;
  }
  return ' '.repeat(width - text.length) + text;
}

function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\u007f/g, '\\x7f');
}

export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  const re = /%([-+# 0]*)(\d+|\*)?(?:\.(\d+|\*)?)?([a-zA-Z%])/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(format)) !== null) {
    out += format.slice(last, m.index);
    last = re.lastIndex;
    const [, flags, widthS, precS, verb] = m;
    if (verb === '%') { out += '%'; continue; }
    const width = widthS === '*' ? Number(args[argi++]) : widthS ? Number(widthS) : undefined;
    const prec = precS === '*' ? Number(args[argi++]) : precS !== undefined ? Number(precS || 0) : undefined;
    if (argi >= args.length) { out += `%!${verb}(MISSING)`; continue; }
    const arg = args[argi++];
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left;
    const plus = flags.includes('+');
    let text: string;
    switch (verb) {
      case 'v': case 's': text = printValue(arg); if (prec !== undefined && verb === 's') text = text.slice(0, prec); break;
      case 'q': text = goQuote(typeof arg === 'string' ? arg : printValue(arg)); break;
      case 't': text = typeof arg === 'boolean' ? String(arg) : `%!t(${printValue(arg)})`; break;
      case 'd':
        text = typeof arg === 'number' ? String(Math.trunc(arg)) : `%!d(${printValue(arg)})`;
        if (plus && typeof arg === 'number' && arg >= 0) text = '+' + text;
        break;
      case 'x': case 'X': case 'o': {
        const base = verb === 'o' ? 8 : 16;
        text = typeof arg === 'number' ? Math.trunc(arg).toString(base)
          : typeof arg === 'string' ? Buffer.from(arg).toString('hex') : `%!${verb}(${printValue(arg)})`;
        if (verb === 'X') text = text.toUpperCase();
        break;
      }
      case 'f': case 'F': text = typeof arg === 'number' ? arg.toFixed(prec ?? 6) : `%!f(${printValue(arg)})`; break;
      case 'e': text = typeof arg === 'number' ? arg.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2') : `%!e(${printValue(arg)})`; break;
      case 'g': text = typeof arg === 'number' ? (prec !== undefined ? String(Number(arg.toPrecision(prec || 1))) : String(arg)) : `%!g(${printValue(arg)})`; break;
      case 'c': text = typeof arg === 'number' ? String.fromCodePoint(arg) : `%!c(${printValue(arg)})`; break;
      default: text = `%!${verb}(${printValue(arg)})`;
    }
    if (plus && (verb === 'f' || verb === 'e' || verb === 'g') && typeof arg === 'number' && arg >= 0) text = '+' + text;
    out += pad(text, width, left, zero && verb !== 's' && verb !== 'v' && verb !== 'q');
  }
  out += format.slice(last);
  if (argi < args.length) out += `%!(EXTRA ${args.slice(argi).map((a) => printValue(a)).join(', ')})`;
  return out;
}
