// Help and usage texts in the layout of Docker's cobra templates, with pflag's
// option columns and wrapping.
import type { CommandDef } from './command';
import type { FlagDef } from './flags';
import { COMMON, GROUPS, TOP_LEVEL } from './registry';

export const BIN = 'berth';

function typeWord(def: FlagDef): string {
  if (def.kind === 'bool') return '';
  return def.typeName ?? (def.kind === 'int' ? 'int' : def.kind === 'list' ? 'list' : 'string');
}

function defaultText(def: FlagDef): string {
  const d = def.default;
  if (d === undefined || d === false || d === '' || (d === 0 && def.kind === 'int')) return '';
  return typeof d === 'string' && def.typeName !== 'duration' ? ` (default "${d}")` : ` (default ${String(d)})`;
}

function wrapN(width: number, slop: number, s: string): [string, string] {
  if (width + slop > s.length) return [s, ''];
  const head = s.slice(0, width);
  const w = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t'), head.lastIndexOf('\n'));
  if (w <= 0) return [s, ''];
  const nl = head.lastIndexOf('\n');
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

/** pflag's wrap(): text starting at column `indent`, lines at most `cols` wide. */
function wrap(indent: number, cols: number, s: string): string {
  let room = cols - indent;
  let out = '';
  let pad = ' '.repeat(indent);
  if (room < 24) {
    indent = 16;
    room = cols - indent;
    pad = ' '.repeat(indent);
    out += '\n' + pad;
  }
  if (room < 24) return out + s.replace(/\n/g, '\n' + pad);
  const slop = 5;
  room -= slop;
  let [line, rest] = wrapN(room, slop, s);
  out += line.replace(/\n/g, '\n' + pad);
  while (rest !== '') {
    [line, rest] = wrapN(room, slop, rest);
    out += '\n' + pad + line.replace(/\n/g, '\n' + pad);
  }
  return out;
}

export function flagUsages(defs: readonly FlagDef[], cols: number): string {
  const visible = defs.filter((d) => !d.hidden);
  const lines = visible.map((d) => {
    let line = d.short ? `  -${d.short}, --${d.name}` : `      --${d.name}`;
    const word = typeWord(d);
    if (word) line += ` ${word}`;
    return { line, usage: d.usage + defaultText(d) };
  });
  const maxlen = Math.max(0, ...lines.map((l) => l.line.length + 1));
  return lines.map((l) => `${l.line} ${' '.repeat(maxlen - l.line.length)} ${wrap(maxlen + 2, cols, l.usage)}\n`).join('');
}

function terminalColumns(): number {
  return (process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80) - 1;
}

export function commandHelp(path: string, def: CommandDef, aliases: string[]): string {
  let out = `Usage:  ${path} ${def.usage}\n\n${def.short}\n`;
  if (aliases.length > 1) out += `\nAliases:\n  ${aliases.join(', ')}\n`;
  if (def.flags.some((f) => !f.hidden)) out += `\nOptions:\n${flagUsages(def.flags, terminalColumns())}`;
  return out;
}

/** "Usage:  berth ps [OPTIONS]" line shown under usage errors. */
export function usageLine(path: string, def: CommandDef): string {
  return `${path} ${def.usage}`;
}

function listing(entries: Array<[string, string]>): string {
  return entries.map(([name, short]) => `  ${name.padEnd(11)} ${short}\n`).join('');
}

export function groupHelp(name: string): string {
  const group = GROUPS[name];
  const subs = Object.entries(group.subcommands ?? {});
  // Aliases ("list", "ps", "remove") are not listed, as in Docker's help.
  const rows: Array<[string, string]> = subs
    .filter(([sub]) => !['list', 'ps', 'remove'].includes(sub))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sub, entry]) => [sub, entry.short]);
  return `Usage:  ${BIN} ${name} COMMAND\n\n${group.short}\n\nCommands:\n${listing(rows)}\nRun '${BIN} ${name} COMMAND --help' for more information on a command.\n`;
}

export const GLOBAL_OPTIONS = `Global Options:
      --config string      Location of client config files (ignored by Berth)
  -D, --debug              Enable debug mode
  -H, --host string        Daemon socket to connect to (default: $BERTH_HOST or
                           unix:///run/berth/berth.sock)
  -l, --log-level string   Set the logging level ("debug", "info", "warn",
                           "error", "fatal") (default "info")
  -v, --version            Print version information and quit
`;

export function rootHelp(): string {
  const common = COMMON.map((n) => [n, TOP_LEVEL[n].short] as [string, string]);
  const groups = Object.entries(GROUPS);
  const management = groups.filter(([, g]) => !g.swarm).map(([n, g]) => [n, g.short] as [string, string]);
  const swarm = groups.filter(([, g]) => g.swarm).map(([n, g]) => [n, g.short] as [string, string]);
  const rest = Object.keys(TOP_LEVEL).filter((n) => !COMMON.includes(n)).sort().map((n) => [n, TOP_LEVEL[n].short] as [string, string]);
  return `Usage:  ${BIN} [OPTIONS] COMMAND

A Docker-compatible container platform

Common Commands:
${listing(common)}
Management Commands:
${listing(management)}
Swarm Commands:
${listing(swarm)}
Commands:
${listing(rest)}
${GLOBAL_OPTIONS}
Run '${BIN} COMMAND --help' for more information on a command.
`;
}
