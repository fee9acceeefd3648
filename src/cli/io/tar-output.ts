// Where `save` and `export` put their tar: a non-terminal stdout, or a file written
// through a temp name and renamed, so a failure never leaves a partial tar behind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CommandContext } from '../command';
import { CliError } from '../errors';

/** Refuses a terminal stdout before anything is requested from the daemon. */
export function checkTarOutput(ctx: CommandContext, output: string): void {
  if (!output && ctx.stdout.isTTY) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
}

/** Streams `body` to stdout or atomically to `output`; `failure` prefixes errors ("failed to save image"). */
export async function writeTarOutput(ctx: CommandContext, body: Readable, output: string, failure: string): Promise<void> {
  if (!output) {
    await pipeline(body, ctx.stdout, { end: false });
    return;
  }
  const target = path.resolve(output);
  const tmp = path.join(path.dirname(target), `.berth_temp_${process.pid}_${Date.now()}`);
  try {
    await pipeline(body, fs.createWriteStream(tmp, { mode: 0o600 }));
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new CliError(`${failure}: ${(err as Error).message}`, 1);
  }
}
