// Latency of GET /containers/{id}/stats on one running container: stream=false (the
// engine pairs two samples about a second apart for precpu_stats) and one-shot (a single
// sample, answered at once), plus top. Raw API calls, so no CLI start-up is included.
import { apiRequest } from '../test/helpers/api';
import type { EngineTarget } from './engine-suite';

export interface StatsLatency { oneShot: number[]; paired: number[]; top: number[] }

async function timedGet(target: EngineTarget, path: string): Promise<number> {
  const t = process.hrtime.bigint();
  const res = await apiRequest(target.socket, 'GET', path, { timeoutMs: 60_000 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return ms;
}

export async function benchStatsLatency(target: EngineTarget, iterations: number): Promise<StatsLatency> {
  const hostConfig = target.runArgs.includes('none') ? { NetworkMode: 'none' } : {};
  const created = await apiRequest(target.socket, 'POST', '/containers/create', {
    body: { Image: 'busybox', Cmd: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'], HostConfig: hostConfig },
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  const id = (created.json as { Id: string }).Id;
  const out: StatsLatency = { oneShot: [], paired: [], top: [] };
  try {
    const started = await apiRequest(target.socket, 'POST', `/containers/${id}/start`);
    if (started.status !== 204) throw new Error(`start: ${started.status} ${started.text}`);
    await timedGet(target, `/containers/${id}/stats?stream=false&one-shot=true`); // warm-up
    for (let i = 0; i < iterations; i++) out.oneShot.push(await timedGet(target, `/containers/${id}/stats?stream=false&one-shot=true`));
    // Each paired answer takes about a second by design: fewer rounds.
    for (let i = 0; i < Math.min(iterations, 5); i++) out.paired.push(await timedGet(target, `/containers/${id}/stats?stream=false`));
    for (let i = 0; i < iterations; i++) out.top.push(await timedGet(target, `/containers/${id}/top`));
  } finally {
    await apiRequest(target.socket, 'DELETE', `/containers/${id}?force=1`).catch(() => undefined);
  }
  return out;
}
