// docker update: new resource limits and restart policy for a container (moby
// ContainerUpdate). The request is validated on its own, merged into HostConfig with
// Docker's conflict rules, applied to a running container with runc update, and only
// then saved, so a failure leaves the container as it was.
import { ConflictError, InvalidArgumentError, InternalError, errorMessage } from '../errors';
import type { OciResources } from '../runtime';
import { publish, type ServiceContext } from './context';
import type { HostConfig, RestartPolicy } from './types';
import { validateRestartPolicy } from './validate';
import { validateResources, type ResourceRequest } from './validate-resources';

export interface ContainerUpdateRequest extends Partial<ResourceRequest> {
  RestartPolicy?: Partial<RestartPolicy>;
}

const CFS_PERIOD_US = 100000;

function cannotUpdate(id: string, err: unknown): Error {
  const message = `Cannot update container ${id}: ${errorMessage(err)}`;
  if (err instanceof InvalidArgumentError) return new InvalidArgumentError(message);
  if (err instanceof ConflictError) return new ConflictError(message);
  return new InternalError(message);
}

function normalize(req: ContainerUpdateRequest): ResourceRequest {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    Memory: num(req.Memory), MemorySwap: num(req.MemorySwap), MemoryReservation: num(req.MemoryReservation),
    NanoCpus: num(req.NanoCpus), CpuShares: num(req.CpuShares), CpuPeriod: num(req.CpuPeriod), CpuQuota: num(req.CpuQuota),
    CpusetCpus: typeof req.CpusetCpus === 'string' ? req.CpusetCpus : '', CpusetMems: typeof req.CpusetMems === 'string' ? req.CpusetMems : '',
    BlkioWeight: num(req.BlkioWeight),
    PidsLimit: typeof req.PidsLimit === 'number' ? req.PidsLimit : null,
  };
}

/** moby Container.UpdateContainer: the merged HostConfig, or an error for conflicting options. */
export function mergeUpdate(current: HostConfig, r: ResourceRequest, policy: RestartPolicy | undefined): HostConfig {
  const conflict = (m: string): never => { throw new InvalidArgumentError(`Conflicting options: ${m}`); };
  if (r.NanoCpus > 0 && current.CpuPeriod > 0) conflict('Nano CPUs cannot be updated as CPU Period has already been set');
  if (r.NanoCpus > 0 && current.CpuQuota > 0) conflict('Nano CPUs cannot be updated as CPU Quota has already been set');
  if (r.CpuPeriod > 0 && current.NanoCpus > 0) conflict('CPU Period cannot be updated as NanoCPUs has already been set');
  if (r.CpuQuota > 0 && current.NanoCpus > 0) conflict('CPU Quota cannot be updated as NanoCPUs has already been set');
  const hc: HostConfig = { ...current };
  if (r.BlkioWeight) hc.BlkioWeight = r.BlkioWeight;
  if (r.CpuShares) hc.CpuShares = r.CpuShares;
  if (r.NanoCpus) hc.NanoCpus = r.NanoCpus;
  if (r.CpuPeriod) hc.CpuPeriod = r.CpuPeriod;
  if (r.CpuQuota) hc.CpuQuota = r.CpuQuota;
  if (r.CpusetCpus) hc.CpusetCpus = r.CpusetCpus;
  if (r.CpusetMems) hc.CpusetMems = r.CpusetMems;
  if (r.Memory) {
    if (r.Memory > current.MemorySwap && r.MemorySwap === 0) {
      throw new InvalidArgumentError('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
    }
    hc.Memory = r.Memory;
  }
  if (r.MemorySwap) hc.MemorySwap = r.MemorySwap;
  if (r.MemoryReservation) hc.MemoryReservation = r.MemoryReservation;
  if (r.PidsLimit !== null && r.PidsLimit !== undefined) hc.PidsLimit = r.PidsLimit;
  if (policy && policy.Name !== '') {
    if (current.AutoRemove && policy.Name !== 'no') conflict('Restart policy cannot be updated because AutoRemove is enabled for the container');
    hc.RestartPolicy = policy;
  }
  return hc;
}

/** What runc update gets: only the requested fields (zero/absent = unchanged for runc). */
export function updateResources(r: ResourceRequest): OciResources {
  const res: OciResources = { devices: [] };
  const cpu: NonNullable<OciResources['cpu']> = {};
  if (r.CpuShares) cpu.shares = r.CpuShares;
  if (r.NanoCpus) {
    cpu.period = CFS_PERIOD_US;
    cpu.quota = Math.floor((r.NanoCpus * CFS_PERIOD_US) / 1e9);
  }
  if (!cpu.quota && r.CpuQuota) cpu.quota = r.CpuQuota;
  if (!cpu.period && r.CpuPeriod) cpu.period = r.CpuPeriod;
  if (r.CpusetCpus) cpu.cpus = r.CpusetCpus;
  if (r.CpusetMems) cpu.mems = r.CpusetMems;
  if (Object.keys(cpu).length > 0) res.cpu = cpu;
  const memory: NonNullable<OciResources['memory']> = {};
  if (r.Memory) memory.limit = r.Memory;
  if (r.MemoryReservation) memory.reservation = r.MemoryReservation;
  // -1 too: runc then raises memsw before the memory limit, so a larger limit fits.
  if (r.MemorySwap) memory.swap = r.MemorySwap;
  if (Object.keys(memory).length > 0) res.memory = memory;
  if (r.PidsLimit !== null && r.PidsLimit !== undefined) res.pids = { limit: r.PidsLimit <= 0 ? -1 : r.PidsLimit };
  if (r.BlkioWeight) res.blockIO = { weight: r.BlkioWeight };
  return res;
}

export async function updateContainer(ctx: ServiceContext, idOrName: string, req: ContainerUpdateRequest): Promise<{ warnings: string[] }> {
  const r = normalize(req);
  const warnings = validateResources(r, true);
  const policy = req.RestartPolicy
    ? { Name: (req.RestartPolicy.Name ?? '') as RestartPolicy['Name'], MaximumRetryCount: req.RestartPolicy.MaximumRetryCount ?? 0 }
    : undefined;
  if (policy) validateRestartPolicy(policy);
  const { id } = ctx.repo.resolve(idOrName).container;
  await ctx.locks.run(id, async () => {
    const c = ctx.repo.resolve(id).container;
    if (c.state.Status === 'removing' || c.state.Dead) {
      throw new ConflictError(`Cannot update container ${id}: container is marked for removal and cannot be "update"`);
    }
    let hc: HostConfig;
    try { hc = mergeUpdate(c.hostConfig, r, policy); } catch (err) { throw cannotUpdate(id, err); }
    const live = (c.state.Status === 'running' || c.state.Status === 'paused') && !c.state.Restarting;
    if (live) {
      try { await ctx.runtime.update(id, updateResources(r)); } catch (err) { throw cannotUpdate(id, err); }
    }
    publish(ctx, 'update', ctx.repo.saveHostConfig(id, hc).container);
  });
  return { warnings };
}
