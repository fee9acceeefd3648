// Command-line flag parser following pflag's conventions: "--name x", "--name=x",
// combined shorthands ("-it", "-dit"), attached values ("-n5", "-eK=V"), repeatable
// list flags, "--" to end flags, and (for run/create) stopping at the first positional.
import { FlagError, flagLabel, type FlagDef } from './types';
import { FlagValues } from './values';

export interface ParseOptions {
  /** false: everything from the first positional on is an argument (docker run IMAGE CMD...). */
  interspersed?: boolean;
}

export interface ParseResult {
  flags: FlagValues;
  args: string[];
  help: boolean;
}

const HELP: FlagDef = { name: 'help', kind: 'bool', usage: 'Print usage' };

/** The definitions plus --help (and -h when the command does not use -h itself). */
export function withHelp(defs: readonly FlagDef[]): FlagDef[] {
  const helpShort = defs.some((d) => d.short === 'h') ? undefined : 'h';
  return [...defs, { ...HELP, short: helpShort, hidden: true }];
}

function parseBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  return undefined;
}

function parseIntStrict(text: string): number | undefined {
  const t = text.trim() === text ? text : '';
  if (/^[+-]?(0|[1-9][0-9]*)$/.test(t)) return Number(t);
  if (/^[+-]?0x[0-9a-fA-F]+$/.test(t)) return Number.parseInt(t, 16);
  return undefined;
}

function convert(def: FlagDef, raw: string): string | number | boolean {
  const fail = (why: string) => new FlagError(`invalid argument "${raw}" for "${flagLabel(def)}" flag: ${why}`);
  let value: string | number | boolean = raw;
  if (def.kind === 'bool') {
    const b = parseBool(raw);
    if (b === undefined) throw fail(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
    value = b;
  } else if (def.kind === 'int') {
    const n = parseIntStrict(raw);
    if (n === undefined || !Number.isSafeInteger(n)) throw fail(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
    value = n;
  }
  if (def.validate) {
    try {
      def.validate(raw);
    } catch (err) {
      throw fail((err as Error).message);
    }
  }
  return value;
}

export function parseFlags(defs: readonly FlagDef[], argv: readonly string[], options: ParseOptions = {}): ParseResult {
  const all = withHelp(defs);
  const byName = new Map(all.map((d) => [d.name, d]));
  const byShort = new Map(all.filter((d) => d.short).map((d) => [d.short as string, d]));
  const flags = new FlagValues(byName);
  const args: string[] = [];
  const interspersed = options.interspersed ?? true;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!interspersed) {
        args.push(...argv.slice(i));
        break;
      }
      args.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const def = byName.get(name);
      if (!def) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) flags.put(name, convert(def, arg.slice(eq + 1)));
      else if (def.kind === 'bool') flags.put(name, true);
      else if (i + 1 < argv.length) flags.put(name, convert(def, argv[++i]));
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    // One or more shorthands: "-d", "-it", "-n5", "-n=5", "-eK=V".
    const shorts = arg.slice(1);
    for (let j = 0; j < shorts.length; j++) {
      const c = shorts[j];
      const def = byShort.get(c);
      if (!def) throw new FlagError(`unknown shorthand flag: '${c}' in ${arg}`);
      const rest = shorts.slice(j + 1);
      if (rest.startsWith('=')) {
        flags.put(def.name, convert(def, rest.slice(1)));
        break;
      }
      if (def.kind === 'bool') {
        flags.put(def.name, true);
        continue;
      }
      if (rest.length > 0) flags.put(def.name, convert(def, rest));
      else if (i + 1 < argv.length) flags.put(def.name, convert(def, argv[++i]));
      else throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
      break;
    }
  }
  return { flags, args, help: flags.bool('help') };
}
