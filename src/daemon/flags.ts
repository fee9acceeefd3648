// berthd's command line, parsed the way dockerd's (cobra/pflag) is: "--flag value",
// "--flag=value", "-H value", repeatable -H, and booleans with an optional "=false".
import * as path from 'node:path';
import { InvalidArgumentError } from '../errors';
import type { DaemonConfig } from './config';
import { validateLogOpts } from '../container/log-config';
import { registryFlags } from './registry-flags';

export interface ParsedArgs {
  config: DaemonConfig;
  help: boolean;
  version: boolean;
}

type FlagKind = 'string' | 'list' | 'bool';
interface FlagSpec { names: string[]; kind: FlagKind; key: string; help: string }

const FLAGS: FlagSpec[] = [
  { names: ['--data-root'], kind: 'string', key: 'dataRoot', help: 'Root directory of persistent Berth state (default "/var/lib/berth")' },
  { names: ['--exec-root'], kind: 'string', key: 'execRoot', help: 'Root directory for execution state files (default "/run/berth")' },
  { names: ['-H', '--host'], kind: 'list', key: 'hosts', help: 'Daemon socket(s) to connect to (default unix:///run/berth/berth.sock)' },
  { names: ['--runtime'], kind: 'string', key: 'runtime', help: 'OCI runtime binary (default "runc")' },
  { names: ['-l', '--log-level'], kind: 'string', key: 'logLevel', help: 'Set the logging level ("debug"|"info"|"warn"|"error"|"fatal") (default "info")' },
  { names: ['-p', '--pidfile'], kind: 'string', key: 'pidfile', help: 'Path to use for daemon PID file (default "<exec-root>/berthd.pid")' },
  { names: ['--cgroup-parent'], kind: 'string', key: 'cgroupParent', help: 'Parent cgroup for all containers (default "berth")' },
  { names: ['--init'], kind: 'bool', key: 'init', help: 'Run an init in the container to forward signals and reap processes' },
  { names: ['--init-path'], kind: 'string', key: 'initPath', help: 'Path to the docker-init binary' },
  { names: ['--seed-busybox'], kind: 'bool', key: 'seedBusybox', help: "Import busybox:latest from the host's busybox-static when it is missing" },
  { names: ['--log-driver'], kind: 'string', key: 'logDriver', help: 'Default driver for container logs (default "json-file")' },
  { names: ['--log-opt'], kind: 'list', key: 'logOpts', help: 'Default log driver options for containers (default map[])' },
  { names: ['--insecure-registry'], kind: 'list', key: 'insecureRegistries', help: 'Enable insecure registry communication (host[:port] or CIDR; repeatable)' },
  { names: ['--registry-mirror'], kind: 'list', key: 'registryMirrors', help: 'Preferred registry mirror for docker.io (repeatable)' },
  { names: ['--max-concurrent-downloads'], kind: 'string', key: 'maxConcurrentDownloads', help: 'Set the max concurrent downloads (default 3)' },
  { names: ['--max-concurrent-uploads'], kind: 'string', key: 'maxConcurrentUploads', help: 'Set the max concurrent uploads (default 5)' },
  { names: ['-D', '--debug'], kind: 'bool', key: 'debug', help: 'Enable debug mode (same as --log-level debug)' },
  { names: ['-h', '--help'], kind: 'bool', key: 'help', help: 'Print usage' },
  { names: ['-v', '--version'], kind: 'bool', key: 'version', help: 'Print version information and quit' },
];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'];

export function usage(): string {
  const lines = FLAGS.map((f) => `  ${f.names.join(', ').padEnd(22)} ${f.help}`);
  return `Usage:\tberthd [OPTIONS]\n\nA self-sufficient runtime for containers, Docker Engine API compatible.\n\nOptions:\n${lines.join('\n')}\n`;
}

function parseBool(flag: string, value: string): boolean {
  if (['1', 't', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new InvalidArgumentError(`invalid argument "${value}" for "${flag}" flag: parse error`);
}

export function parseArgs(argv: string[]): ParsedArgs {
  const strings: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  const bools: Record<string, boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') throw new InvalidArgumentError(`berthd takes no positional arguments: ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const spec = FLAGS.find((f) => f.names.includes(name));
    if (!spec) throw new InvalidArgumentError(`unknown flag: ${name}`);
    if (spec.kind === 'bool') {
      bools[spec.key] = inline === undefined ? true : parseBool(name, inline);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new InvalidArgumentError(`flag needs an argument: ${name}`);
      value = argv[++i];
    }
    if (spec.kind === 'list') (lists[spec.key] ??= []).push(value);
    else strings[spec.key] = value;
  }
  const execRoot = path.resolve(strings.execRoot ?? '/run/berth');
  let logLevel = strings.logLevel ?? (bools.debug ? 'debug' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) throw new InvalidArgumentError(`unable to parse logging level: ${logLevel}`);
  if (bools.debug) logLevel = 'debug';
  const config: DaemonConfig = {
    dataRoot: path.resolve(strings.dataRoot ?? '/var/lib/berth'),
    execRoot,
    hosts: lists.hosts && lists.hosts.length > 0 ? lists.hosts : ['unix:///run/berth/berth.sock'],
    runtime: strings.runtime ?? 'runc',
    logLevel,
    pidfile: path.resolve(strings.pidfile ?? path.join(execRoot, 'berthd.pid')),
    cgroupParent: strings.cgroupParent ?? 'berth',
    seedBusybox: bools.seedBusybox ?? false,
    init: bools.init ?? false,
    initPath: strings.initPath,
    ...parseLogFlags(strings.logDriver, lists.logOpts ?? []),
    ...registryFlags(lists, strings),
  };
  return { config, help: bools.help ?? false, version: bools.version ?? false };
}

/** --log-driver/--log-opt as dockerd checks them at start-up ("failed to set log opts: ..."). */
function parseLogFlags(driver: string | undefined, opts: string[]): { logDriver: string; logOpts: Record<string, string> } {
  const logDriver = driver || 'json-file';
  const logOpts: Record<string, string> = {};
  for (const o of opts) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`invalid argument "${o}" for "--log-opt" flag: invalid key value pair format`);
    logOpts[o.slice(0, eq)] = o.slice(eq + 1);
  }
  try {
    validateLogOpts(logDriver, logOpts);
  } catch (err) {
    throw new InvalidArgumentError(`failed to set log opts: ${(err as Error).message}`);
  }
  return { logDriver, logOpts };
}
