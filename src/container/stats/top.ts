// `docker top`: the host's ps output limited to the processes in the container's cgroup
// (moby ContainerTop: ps_args default -ef, ps -q first, a PID column required).
import { execFile } from 'node:child_process';
import { ConflictError, InternalError } from '../../errors';
import { cgroupPids } from '../../runtime/cgroups';
import type { Container } from '../types';
import { containerCgroup } from './sample';
import type { TopResult } from './types';

// Only "pid=PID..." may rename a column that holds PIDs: the filter below needs "PID".
const PS_ARGS_RENAME = /\s+([^\s]*)=\s*(PID[^\s]*)/g;

export function validatePsArgs(psArgs: string): void {
  for (const m of psArgs.matchAll(PS_ARGS_RENAME)) {
    if (m[1] !== 'pid') throw new InternalError(`specifying "${m[1]}=${m[2]}" is not allowed`);
  }
}

const fields = (line: string): string[] => line.split(/[\t\n\f\r ]+/).filter(Boolean);

/** Keep the rows whose PID is one of `pids` (thread rows "-" follow their process). */
export function parsePsOutput(output: string, pids: number[]): TopResult {
  const lines = output.split('\n');
  const titles = fields(lines[0] ?? '');
  const pidIndex = titles.indexOf('PID');
  if (pidIndex < 0) throw new InternalError("Couldn't find PID field in ps output");
  const wanted = new Set(pids);
  const processes: string[][] = [];
  const add = (f: string[]) => processes.push([...f.slice(0, titles.length - 1), f.slice(titles.length - 1).join(' ')]);
  let previousKept = false;
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const f = fields(line);
    if (f[pidIndex] === '-') {
      if (previousKept) add(f);
      continue;
    }
    const pid = Number(f[pidIndex]);
    if (!/^\d+$/.test(f[pidIndex] ?? '')) throw new InternalError(`Unexpected pid '${f[pidIndex]}': invalid syntax`);
    previousKept = wanted.has(pid);
    if (previousKept) add(f);
  }
  return { Titles: titles, Processes: processes };
}

function ps(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ps', args, { maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) { resolve(stdout); return; }
      const first = String(stderr).split('\n')[0];
      reject(new InternalError(`ps: ${first || err.message}`));
    });
  });
}

export async function topContainer(c: Container, cgroupParent: string, psArgs: string): Promise<TopResult> {
  const args = psArgs === '' ? '-ef' : psArgs;
  validatePsArgs(args);
  if (c.state.Restarting) throw new ConflictError(`Container ${c.id} is restarting, wait until the container is running`);
  if (c.state.Status !== 'running' && c.state.Status !== 'paused') throw new ConflictError(`Container ${c.id} is not running`);
  const loc = containerCgroup(c, cgroupParent);
  const pids = loc ? cgroupPids(loc) : [];
  if (pids.length === 0) throw new ConflictError(`Container ${c.id} is not running`);
  const argv = args.split(' ');
  let output: string;
  try {
    output = await ps([...argv, `-q${pids.join(',')}`]);
  } catch {
    // Some ps options (f, for one) refuse -q: list everything and filter.
    output = await ps(argv);
  }
  return parsePsOutput(output, pids);
}
