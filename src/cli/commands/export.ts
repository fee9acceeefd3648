// berth export [-o FILE] CONTAINER: the container's filesystem as a tar.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContainerFsApi } from '../../client';
import type { CommandDef } from '../command';
import { CliError } from '../errors';
import { checkTarOutput, writeTarOutput } from '../io/tar-output';

export const exportCmd: CommandDef = {
  usage: '[OPTIONS] CONTAINER',
  short: "Export a container's filesystem as a tar archive",
  args: { min: 1, max: 1 },
  flags: [{ name: 'output', short: 'o', kind: 'string', usage: 'Write to a file, instead of STDOUT' }],
  async run(ctx, flags, args) {
    const output = flags.string('output');
    checkTarOutput(ctx, output);
    if (output) {
      const dir = path.dirname(path.resolve(output));
      if (!fs.existsSync(dir)) throw new CliError(`failed to export container: invalid output path: directory "${dir}" does not exist`, 1);
    }
    const body = await new ContainerFsApi(ctx.client().engine).export(args[0]);
    await writeTarOutput(ctx, body, output, 'failed to export container');
  },
};
