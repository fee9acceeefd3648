// Helpers shared by command implementations.
import type { FlagDef } from '../flags';
import { CliError } from '../errors';
import type { CommandContext } from '../command';

/** Docker's text of an error, as its CLI prints it. */
export function errorText(err: unknown): string {
  if (err instanceof Error && err.name === 'ApiError') return `Error response from daemon: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Run `action` for each name; print the name on success (docker stop/kill/rm...) and
 * report every failure at the end, exit code 1 if any.
 */
export async function forEach(
  ctx: CommandContext,
  names: string[],
  action: (name: string) => Promise<string | void>,
): Promise<number> {
  const errors: string[] = [];
  for (const name of names) {
    try {
      const printed = await action(name);
      ctx.out(`${printed ?? name}\n`);
    } catch (err) {
      if (err instanceof Error && err.name === 'ConnectionError') throw err;
      errors.push(errorText(err));
    }
  }
  if (errors.length > 0) throw new CliError(errors.join('\n'), 1);
  return 0;
}

export const FORMAT_USAGE = `Format output using a custom template:
'table':            Print output in table format with column headers (default)
'table TEMPLATE':   Print output in table format using the given Go template
'json':             Print in JSON format
'TEMPLATE':         Print output using the given Go template.
Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates`;

export const INSPECT_FORMAT_USAGE = `Format output using a custom template:
'json':             Print in JSON format
'TEMPLATE':         Print output using the given Go template.
Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates`;

export const formatFlag: FlagDef = { name: 'format', kind: 'string', usage: FORMAT_USAGE };
/** Filter values are checked while parsing flags, so a bad one is a usage error (exit 125). */
export function validateFilter(value: string): void {
  if (value.indexOf('=') <= 0) throw new Error('bad format of filter (expected name=value)');
}

export const filterFlag: FlagDef = {
  name: 'filter', short: 'f', kind: 'list', typeName: 'filter', usage: 'Filter output based on conditions provided', validate: validateFilter,
};

/** Parse --filter values into the wire form; bad syntax is a CLI error. */
export async function filtersFrom(values: string[]): Promise<Record<string, Record<string, boolean>>> {
  const { parseFilters } = await import('../../client/filters');
  try {
    return parseFilters(values);
  } catch (err) {
    throw new CliError((err as Error).message, 1);
  }
}

/** Read all of a stream (stdin, a file). */
export function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}
