// berth registry serve|gc: run Berth's OCI registry (a separate program; no daemon involved).
import type { CommandDef } from '../command';
import { CliError } from '../errors';
import { GC_FLAGS, SERVE_FLAGS } from '../../registry/flags';

async function orCliError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new CliError(`berth registry: ${(err as Error).message}`, 1);
  }
}

export const registryServe: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Run an OCI Distribution registry',
  args: { max: 0 },
  flags: SERVE_FLAGS,
  async run(ctx, flags) {
    const { runServe } = await import('../../registry/commands');
    return orCliError(() => runServe(flags, (t) => ctx.out(t)));
  },
};

export const registryGc: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Delete blobs no manifest references (safe while the registry runs)',
  args: { max: 0 },
  flags: GC_FLAGS,
  async run(ctx, flags) {
    const { runGc } = await import('../../registry/commands');
    return orCliError(() => runGc(flags, (t) => ctx.out(t)));
  },
};
