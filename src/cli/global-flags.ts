// Options given before the command name (docker's global flags).
import { FlagError } from './flags/types';

export interface GlobalOptions {
  host?: string;
  debug: boolean;
  logLevel?: string;
  version: boolean;
  help: boolean;
  /** The command and its arguments. */
  rest: string[];
}

const VALUE_FLAGS: Record<string, keyof GlobalOptions | null> = {
  '-H': 'host', '--host': 'host', '-l': 'logLevel', '--log-level': 'logLevel',
  '--config': null, '-c': null, '--context': null,
  '--tlscacert': null, '--tlscert': null, '--tlskey': null,
};
const BOOL_FLAGS: Record<string, keyof GlobalOptions | null> = {
  '-D': 'debug', '--debug': 'debug', '-v': 'version', '--version': 'version', '-h': 'help', '--help': 'help',
  '--tls': null, '--tlsverify': null,
};

export function parseGlobal(argv: readonly string[]): GlobalOptions {
  const opts: GlobalOptions = { debug: false, version: false, help: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      opts.rest = argv.slice(i + 1);
      return opts;
    }
    if (!arg.startsWith('-') || arg === '-') {
      opts.rest = argv.slice(i);
      return opts;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (name in BOOL_FLAGS) {
      const key = BOOL_FLAGS[name];
      if (key) (opts as unknown as Record<string, boolean>)[key] = eq >= 0 ? arg.slice(eq + 1) !== 'false' : true;
      continue;
    }
    let value: string | undefined;
    let flag = name;
    if (name in VALUE_FLAGS) {
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      else throw new FlagError(arg.startsWith('--') ? `flag needs an argument: ${arg}` : `flag needs an argument: '${arg[1]}' in ${arg}`);
    } else if (/^-[Hlc]./.test(arg)) {
      flag = arg.slice(0, 2);
      value = arg.slice(2).replace(/^=/, '');
    } else {
      throw new FlagError(arg.startsWith('--') ? `unknown flag: ${name}` : `unknown shorthand flag: '${arg[1]}' in ${arg}`);
    }
    const key = VALUE_FLAGS[flag];
    if (key) (opts as unknown as Record<string, string>)[key] = value;
  }
  return opts;
}
