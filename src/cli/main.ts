// Entry point of the `berth` CLI: global flags, command lookup (lazy-loaded), flag
// parsing, and the mapping of errors to Docker's messages and exit codes.
import { parseGlobal } from './global-flags';
import { FlagError, parseFlags } from './flags';
import { GROUPS, TOP_LEVEL, aliasesOf, type Entry } from './registry';
import { BIN, commandHelp, groupHelp, rootHelp, usageLine } from './help';
import { CliError } from './errors';
import type { CommandContext, CommandDef } from './command';
import type { BerthClient } from '../client';

import { BERTH_VERSION } from './build-info';

function write(stream: NodeJS.WriteStream, text: string): void {
  if (text) stream.write(text);
}

async function finish(code: number, client: BerthClient | undefined): Promise<never> {
  client?.close();
  const flush = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => {
    if (s.writableLength === 0) resolve();
    else s.write('', () => resolve());
  });
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(code);
}

function notImplemented(path: string): CliError {
  return new CliError(`${BIN}: '${path}' is not implemented yet`, 1);
}

interface Resolved { entry: Entry; path: string; args: string[] }

/** Find the command named by argv (top-level or "group sub"); returns exit texts for the rest. */
function resolve(argv: string[]): Resolved | { text: string; code: number } {
  const [name, ...rest] = argv;
  const group = GROUPS[name];
  if (group) {
    if (!group.subcommands) throw notImplemented(name);
    const sub = rest[0];
    if (sub === undefined || sub === '--help' || sub === '-h') return { text: groupHelp(name), code: 0 };
    const entry = group.subcommands[sub];
    if (!entry) {
      throw new CliError(`${BIN}: unknown command: ${BIN} ${name} ${sub}\n\nUsage:  ${BIN} ${name}\n\nRun '${BIN} ${name} --help' for more information`, 1);
    }
    return { entry, path: `${BIN} ${name} ${sub}`, args: rest.slice(1) };
  }
  const entry = TOP_LEVEL[name];
  if (!entry) throw new CliError(`${BIN}: unknown command: ${BIN} ${name}\n\nRun '${BIN} --help' for more information`, 1);
  return { entry, path: `${BIN} ${name}`, args: rest };
}

function checkArgs(path: string, def: CommandDef, args: string[]): void {
  const { min, max } = def.args ?? {};
  const plural = (n: number) => (n === 1 ? 'argument' : 'arguments');
  const usage = `\n\nUsage:  ${usageLine(path, def)}\n\n`;
  if (min !== undefined && max !== undefined && min === max && args.length !== min) {
    throw new CliError(`${BIN}: '${path}' requires ${min} ${plural(min)}${usage}Run '${path} --help' for more information`, 1);
  }
  if (min !== undefined && args.length < min) {
    throw new CliError(`${BIN}: '${path}' requires at least ${min} ${plural(min)}${usage}See '${path} --help' for more information`, 1);
  }
  if (max !== undefined && args.length > max) {
    const what = max === 0 ? 'accepts no arguments' : `requires at most ${max} ${plural(max)}`;
    throw new CliError(`${BIN}: '${path}' ${what}${usage}Run '${path} --help' for more information`, 1);
  }
}

async function dispatch(argv: string[], setClient: (c: BerthClient) => void): Promise<number> {
  let global;
  try {
    global = parseGlobal(argv);
  } catch (err) {
    if (err instanceof FlagError) throw new CliError(`${err.message}\nSee '${BIN} --help'.`, 125);
    throw err;
  }
  if (global.version) {
    write(process.stdout, `Berth version ${BERTH_VERSION}\n`);
    return 0;
  }
  if (global.rest.length === 0) {
    write(process.stdout, rootHelp());
    return 0;
  }
  const found = resolve(global.rest);
  if ('text' in found) {
    write(process.stdout, found.text);
    return found.code;
  }
  const { entry, path } = found;
  if (!entry.load) throw notImplemented(path.slice(BIN.length + 1));
  const def = await entry.load();
  let parsed;
  try {
    parsed = parseFlags(def.flags, found.args, { interspersed: def.interspersed ?? true });
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    throw new CliError(`${err.message}\n\nUsage:  ${usageLine(path, def)}\n\nRun '${path} --help' for more information`, 125);
  }
  if (parsed.help || global.help) {
    write(process.stdout, commandHelp(path, def, aliasesOf(entry.id, BIN)));
    return 0;
  }
  checkArgs(path, def, parsed.args);

  const { resolveHost } = await import('../client/host');
  const host = resolveHost(global.host);
  let client: BerthClient | undefined;
  const ctx: CommandContext = {
    path,
    host,
    client: () => {
      if (!client) {
        // Required here, not at the top: commands that never talk to the daemon skip node:http.
        const { BerthClient: Client } = require('../client') as typeof import('../client');
        client = new Client({ host, version: process.env.BERTH_API_VERSION || undefined });
        setClient(client);
      }
      return client;
    },
    out: (text) => write(process.stdout, text),
    err: (text) => write(process.stderr, text),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  };
  return (await def.run(ctx, parsed.flags, parsed.args)) ?? 0;
}

/** Render any error the way docker does, returning the exit code. */
export function reportError(err: unknown): number {
  const { ApiError, ConnectionError } = require('../client/errors') as typeof import('../client/errors');
  if (err instanceof CliError) {
    write(process.stderr, err.message ? `${err.message}\n` : '');
    return err.exitCode;
  }
  if (err instanceof ApiError) {
    write(process.stderr, `Error response from daemon: ${err.message}\n`);
    return 1;
  }
  if (err instanceof ConnectionError) {
    write(process.stderr, `${err.message}\n`);
    return 1;
  }
  write(process.stderr, `${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}

export function main(argv: string[]): void {
  // A closed pipe on stdout (berth logs x | head -1) ends the CLI like SIGPIPE ends docker.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(141);
  });
  let client: BerthClient | undefined;
  dispatch(argv, (c) => { client = c; }).then(
    (code) => finish(code, client),
    (err) => finish(reportError(err), client),
  );
}
