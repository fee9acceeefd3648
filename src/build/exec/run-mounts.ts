// RUN --mount: tmpfs mounts are given to the step's container. cache, bind and
// secret mounts need bind mounts in the runtime, which Berth does not have yet;
// they are refused by name rather than ignored.
import { InvalidArgumentError, NotImplementedError } from '../../errors';
import type { RunContext } from './run-context';
import type { StageState } from './state';

export interface RunMounts {
  binds: string[] | null;
  tmpfs: Record<string, string>;
  /** What the mounts add to the step's cache key. */
  cacheInputs: string[];
}

export function runMounts(rc: RunContext, state: StageState, specs: string[]): RunMounts {
  void rc;
  const out: RunMounts = { binds: null, tmpfs: {}, cacheInputs: [] };
  for (const spec of specs) {
    const fields = new Map<string, string>();
    for (const part of spec.split(',')) {
      const eq = part.indexOf('=');
      fields.set((eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase(), eq < 0 ? 'true' : part.slice(eq + 1));
    }
    const type = fields.get('type') ?? 'bind';
    const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
    if (!target) throw new InvalidArgumentError(`mount target is required: --mount=${spec}`);
    const dest = target.startsWith('/') ? target : `${state.config.WorkingDir || '/'}/${target}`.replace(/\/+/g, '/');
    if (type === 'tmpfs') {
      const size = fields.get('size');
      out.tmpfs[dest] = size ? `size=${size}` : '';
      out.cacheInputs.push(`tmpfs:${dest}:${size ?? ''}`);
    } else if (type === 'cache' || type === 'bind' || type === 'secret' || type === 'ssh') {
      throw new NotImplementedError(`RUN --mount=type=${type} is not supported by this builder yet`);
    } else {
      throw new InvalidArgumentError(`unsupported mount type "${type}"`);
    }
  }
  return out;
}
