// berth update [OPTIONS] CONTAINER [CONTAINER...]
import type { CommandDef } from '../command';
import type { FlagValues } from '../flags';
import { CliError } from '../errors';
import { ramInBytes } from '../format/units';
import { parseNanoCpus, parseRestartPolicy } from '../container-opts/values';
import { errorText } from './shared';
import type { UpdateBody } from '../../client';

const bytes = (v: string) => { ramInBytes(v); };
const swapBytes = (v: string) => { if (v !== '-1') ramInBytes(v); };

function body(flags: FlagValues): UpdateBody {
  const b: UpdateBody = {};
  const int = (name: string) => (flags.changed(name) ? flags.int(name) : 0);
  const size = (name: string) => (flags.changed(name) ? (flags.string(name) === '-1' ? -1 : ramInBytes(flags.string(name))) : 0);
  const weight = int('blkio-weight');
  if (weight < 0 || weight > 65535) throw new CliError(`invalid argument "${weight}" for "--blkio-weight" flag: value out of range`, 125);
  b.BlkioWeight = weight;
  b.CpuPeriod = int('cpu-period');
  b.CpuQuota = int('cpu-quota');
  b.CpusetCpus = flags.string('cpuset-cpus');
  b.CpusetMems = flags.string('cpuset-mems');
  b.CpuShares = int('cpu-shares');
  b.Memory = size('memory');
  b.MemoryReservation = size('memory-reservation');
  b.MemorySwap = size('memory-swap');
  b.NanoCpus = flags.changed('cpus') ? parseNanoCpus(flags.string('cpus')) : 0;
  const pids = int('pids-limit');
  if (pids !== 0) b.PidsLimit = pids;
  const restart = flags.string('restart');
  if (restart !== '') {
    try { b.RestartPolicy = parseRestartPolicy(restart); } catch (err) { throw new CliError((err as Error).message, 1); }
  } else {
    b.RestartPolicy = { Name: '', MaximumRetryCount: 0 };
  }
  return b;
}

export const update: CommandDef = {
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Update configuration of one or more containers',
  args: { min: 1 },
  flags: [
    { name: 'blkio-weight', kind: 'int', typeName: 'uint16', usage: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' },
    { name: 'cpu-period', kind: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) period' },
    { name: 'cpu-quota', kind: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
    { name: 'cpu-shares', short: 'c', kind: 'int', usage: 'CPU shares (relative weight)' },
    { name: 'cpus', kind: 'string', typeName: 'decimal', usage: 'Number of CPUs', validate: (v) => { parseNanoCpus(v); } },
    { name: 'cpuset-cpus', kind: 'string', usage: 'CPUs in which to allow execution (0-3, 0,1)' },
    { name: 'cpuset-mems', kind: 'string', usage: 'MEMs in which to allow execution (0-3, 0,1)' },
    { name: 'memory', short: 'm', kind: 'string', typeName: 'bytes', usage: 'Memory limit', validate: bytes },
    { name: 'memory-reservation', kind: 'string', typeName: 'bytes', usage: 'Memory soft limit', validate: bytes },
    { name: 'memory-swap', kind: 'string', typeName: 'bytes', usage: 'Swap limit equal to memory plus swap: -1 to enable unlimited swap', validate: swapBytes },
    { name: 'pids-limit', kind: 'int', usage: 'Tune container pids limit (set -1 for unlimited)' },
    { name: 'restart', kind: 'string', usage: 'Restart policy to apply when a container exits' },
  ],
  async run(ctx, flags, args) {
    const names = ['blkio-weight', 'cpu-period', 'cpu-quota', 'cpu-shares', 'cpus', 'cpuset-cpus', 'cpuset-mems', 'memory',
      'memory-reservation', 'memory-swap', 'pids-limit', 'restart'];
    if (!names.some((n) => flags.changed(n))) throw new CliError('you must provide one or more flags when using this command', 1);
    const request = body(flags);
    const errors: string[] = [];
    const warnings: string[] = [];
    for (const name of args) {
      try {
        const res = await ctx.client().containers.update(name, request);
        ctx.out(`${name}\n`);
        warnings.push(...(res.Warnings ?? []));
      } catch (err) {
        if (err instanceof Error && err.name === 'ConnectionError') throw err;
        errors.push(errorText(err));
      }
    }
    if (warnings.length > 0) ctx.out(`${warnings.join('\n')}\n`);
    if (errors.length > 0) throw new CliError(errors.join('\n'), 1);
  },
};
