// berth export [-o FILE] CONTAINER: the container's filesystem as a tar.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ContainerFsApi } from '../../client';
import type { CommandDef } from '../command';
import { CliError } from '../errors';

export const exportCmd: CommandDef = {
  usage: '[OPTIONS] CONTAINER',
  short: "Export a container's filesystem as a tar archive",
  args: { min: 1, max: 1 },
  flags: [{ name: 'output', short: 'o', kind: 'string', usage: 'Write to a file, instead of STDOUT' }],
  async run(ctx, flags, args) {
    const output = flags.string('output');
    if (!output && ctx.stdout.isTTY) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
    if (output) {
      const dir = path.dirname(path.resolve(output));
      if (!fs.existsSync(dir)) throw new CliError(`failed to export container: invalid output path: directory "${dir}" does not exist`, 1);
    }
    const body = await new ContainerFsApi(ctx.client().engine).export(args[0]);
    if (!output) {
      await pipeline(body, ctx.stdout, { end: false });
      return;
    }
    // Temp file + rename: a failed export never leaves a partial tar under the target name.
    const target = path.resolve(output);
    const tmp = path.join(path.dirname(target), `.berth_temp_${process.pid}_${Date.now()}`);
    try {
      await pipeline(body, fs.createWriteStream(tmp, { mode: 0o600 }));
      fs.renameSync(tmp, target);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw new CliError(`failed to export container: ${(err as Error).message}`, 1);
    }
  },
};
