// berth events: the daemon's event stream, printed like Docker (or via --format).
import type { CommandDef } from '../command';
import type { EventMessage } from '../../client/types';
import { CliError } from '../errors';
import { getTimestamp, rfc3339NanoFixed } from '../format/time';
import { makeStruct, parseFormat } from '../format/formatter';
import { filterFlag, filtersFrom } from './shared';

function timestamp(value: string): string | undefined {
  if (!value) return undefined;
  try {
    return getTimestamp(value);
  } catch (err) {
    throw new CliError((err as Error).message, 1);
  }
}

/** Docker's default line: "<time> <type> <action> <id> (k=v, ...)". */
export function prettyEvent(e: EventMessage, timeNano?: bigint): string {
  let line = '';
  if (timeNano) line += `${rfc3339NanoFixed(timeNano)} `;
  else if (e.timeNano) line += `${rfc3339NanoFixed(BigInt(Math.trunc(e.timeNano)))} `;
  else if (e.time) line += `${rfc3339NanoFixed(BigInt(e.time) * 1_000_000_000n)} `;
  line += `${e.Type} ${e.Action} ${e.Actor?.ID ?? ''}`;
  const attrs = e.Actor?.Attributes ?? {};
  const keys = Object.keys(attrs).sort();
  if (keys.length > 0) line += ` (${keys.map((k) => `${k}=${attrs[k]}`).join(', ')})`;
  return line + '\n';
}

function eventContext(e: EventMessage) {
  return makeStruct('events.Message', {
    Status: () => e.status ?? '', ID: () => e.id ?? '', From: () => e.from ?? '',
    Type: () => e.Type, Action: () => e.Action,
    Actor: () => ({ ID: e.Actor?.ID ?? '', Attributes: e.Actor?.Attributes ?? {} }),
    Scope: () => e.scope ?? '', Time: () => e.time ?? 0, TimeNano: () => e.timeNano ?? 0,
  }, () => e);
}

export const events: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Get real time events from the server',
  args: { max: 0 },
  flags: [
    filterFlag,
    { name: 'format', kind: 'string', usage: "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates" },
    { name: 'since', kind: 'string', usage: 'Show all events created since timestamp' },
    { name: 'until', kind: 'string', usage: 'Stream events until this timestamp' },
  ],
  async run(ctx, flags) {
    const format = flags.string('format');
    const tmpl = format ? parseFormat(format === 'json' ? 'json' : format) : undefined;
    const body = await ctx.client().system.events({
      since: timestamp(flags.string('since')),
      until: timestamp(flags.string('until')),
      filters: await filtersFrom(flags.list('filter')),
    });
    const { textLines } = await import('../../client/streams');
    for await (const line of textLines(body)) {
      const e = JSON.parse(line) as EventMessage;
      // timeNano exceeds a double's precision: keep the exact digits from the text.
      const nano = /"timeNano":\s*(\d+)/.exec(line);
      if (!tmpl) {
        ctx.out(prettyEvent(e, nano ? BigInt(nano[1]) : undefined));
        continue;
      }
      try {
        ctx.out(tmpl.execute(eventContext(e)) + '\n');
      } catch (err) {
        throw new CliError(`template parsing error: ${(err as Error).message}`, 1);
      }
    }
  },
};
