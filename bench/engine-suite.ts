// The measurements run against an engine (berthd, or dockerd for reference): CLI latency
// of run --rm, the lifecycle verbs one by one, ps with many running containers, and the
// memory an idle container costs.
import { apiRequest } from '../test/helpers/api';
import { timeOnce, timeRepeated, type TimedCommand } from './timing';
import { cgroupMemoryBytes, pidsOf, pssBytes, rssBytes, settledMemAvailable } from './memory';

export interface Cli { label: string; cmd: string; prefix: string[]; env: Record<string, string | undefined> }

export interface EngineTarget {
  name: string; // "berthd" | "dockerd"
  socket: string;
  clis: Cli[]; // the first one is used for lifecycle timings
  runArgs: string[]; // extra `run`/`create` flags (e.g. --network none for dockerd)
  shim: { name: string; mention: string }; // per-container helper process to sum RSS of
  daemonPid?: number;
  cgroupParent?: string; // where the engine puts container cgroups, when known
}

// Exits at once on SIGTERM, so `stop` measures the engine, not a 10 s timeout.
const SERVICE = ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'];

const cliCommand = (cli: Cli, args: string[]): TimedCommand => ({ cmd: cli.cmd, args: [...cli.prefix, ...args], env: cli.env });

export async function benchRunRm(target: EngineTarget, cli: Cli, iterations: number): Promise<number[]> {
  return timeRepeated(cliCommand(cli, ['run', '--rm', ...target.runArgs, 'busybox', 'true']), iterations);
}

export interface LifecycleSamples { create: number[]; start: number[]; stop: number[]; rm: number[] }

/** create → start → stop → rm, each verb timed on its own through the CLI. */
export async function benchLifecycle(target: EngineTarget, cli: Cli, iterations: number): Promise<LifecycleSamples> {
  const out: LifecycleSamples = { create: [], start: [], stop: [], rm: [] };
  for (let i = 0; i <= iterations; i++) {
    const create = await timeOnce(cliCommand(cli, ['create', ...target.runArgs, 'busybox', ...SERVICE]));
    const id = create.stdout.trim();
    const start = await timeOnce(cliCommand(cli, ['start', id]));
    const stop = await timeOnce(cliCommand(cli, ['stop', id]));
    const rm = await timeOnce(cliCommand(cli, ['rm', id]));
    if (i === 0) continue; // warm-up round
    out.create.push(create.ms);
    out.start.push(start.ms);
    out.stop.push(stop.ms);
    out.rm.push(rm.ms);
  }
  return out;
}

/** The same four verbs as raw API calls: the engine's share without any CLI start-up. */
export async function benchLifecycleApi(target: EngineTarget, iterations: number): Promise<LifecycleSamples> {
  const out: LifecycleSamples = { create: [], start: [], stop: [], rm: [] };
  const hostConfig = target.runArgs.includes('none') ? { NetworkMode: 'none' } : {};
  const timed = async (fn: () => Promise<unknown>): Promise<[number, unknown]> => {
    const t = process.hrtime.bigint();
    const value = await fn();
    return [Number(process.hrtime.bigint() - t) / 1e6, value];
  };
  for (let i = 0; i <= iterations; i++) {
    const [create, body] = await timed(() => api(target, 'POST', '/containers/create', { Image: 'busybox', Cmd: SERVICE, HostConfig: hostConfig }));
    const id = (body as { Id: string }).Id;
    const [start] = await timed(() => api(target, 'POST', `/containers/${id}/start`));
    const [stop] = await timed(() => api(target, 'POST', `/containers/${id}/stop`));
    const [rm] = await timed(() => api(target, 'DELETE', `/containers/${id}`));
    if (i === 0) continue; // warm-up round
    out.create.push(create);
    out.start.push(start);
    out.stop.push(stop);
    out.rm.push(rm);
  }
  return out;
}

async function api(target: EngineTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await apiRequest(target.socket, method, path, { body, timeoutMs: 120_000 });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

export interface FleetResult {
  ps: Map<string, number[]>; // CLI label → samples
  apiList: number[];
  memPerContainer: number; // bytes, system MemAvailable delta / count
  shimRssPerContainer: number; // bytes
  shimPssPerContainer: number; // bytes
  cgroupPerContainer: number; // bytes charged to the containers' cgroups / count
  daemonRss: number; // bytes, with the fleet running
  started: number;
}

/** Starts `count` idle containers through the API, measures ps and memory, removes them. */
export async function benchFleet(target: EngineTarget, count: number, iterations: number): Promise<FleetResult> {
  const hostConfig = target.runArgs.includes('none') ? { NetworkMode: 'none' } : {};
  const before = await settledMemAvailable();
  const ids: string[] = [];
  try {
    await pool(Array.from({ length: count }, (_, i) => i), 4, async () => {
      const created = (await api(target, 'POST', '/containers/create', { Image: 'busybox', Cmd: SERVICE, HostConfig: hostConfig })) as { Id: string };
      ids.push(created.Id);
      await api(target, 'POST', `/containers/${created.Id}/start`);
    });
    await new Promise((r) => setTimeout(r, 2000)); // let start-up allocations settle
    const after = await settledMemAvailable();
    const shims = pidsOf(target.shim.name, target.shim.mention);
    const ps = new Map<string, number[]>();
    for (const cli of target.clis) ps.set(cli.label, await timeRepeated(cliCommand(cli, ['ps']), iterations));
    const apiList: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t = process.hrtime.bigint();
      await api(target, 'GET', '/containers/json');
      apiList.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return {
      ps,
      apiList,
      memPerContainer: (before - after) / count,
      shimRssPerContainer: shims.reduce((sum, pid) => sum + rssBytes(pid), 0) / count,
      shimPssPerContainer: shims.reduce((sum, pid) => sum + pssBytes(pid), 0) / count,
      cgroupPerContainer: target.cgroupParent ? cgroupMemoryBytes(target.cgroupParent) / count : NaN,
      daemonRss: target.daemonPid ? rssBytes(target.daemonPid) : NaN,
      started: ids.length,
    };
  } finally {
    await pool(ids, 4, async (id) => {
      await api(target, 'DELETE', `/containers/${id}?force=1`).catch(() => undefined);
    });
  }
}

