// berth rename CONTAINER NEW_NAME
import type { CommandDef } from '../command';
import { CliError } from '../errors';
import { errorText } from './shared';

export const rename: CommandDef = {
  usage: 'CONTAINER NEW_NAME',
  short: 'Rename a container',
  args: { min: 2, max: 2 },
  flags: [],
  async run(ctx, _flags, args) {
    const oldName = args[0].trim();
    const newName = args[1].trim();
    if (!oldName || !newName) throw new CliError('Error: Neither old nor new names may be empty', 1);
    try {
      await ctx.client().containers.rename(oldName, newName);
    } catch (err) {
      if (err instanceof Error && err.name === 'ConnectionError') throw err;
      throw new CliError(`${errorText(err)}\nError: failed to rename container named ${oldName}`, 1);
    }
  },
};
