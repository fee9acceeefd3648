// Rows of `system df`: the summary per type (Docker's diskUsage*Context) computed
// from the daemon's /system/df answer.
import type { DiskUsageResponse } from '../../client/types';
import { makeStruct } from '../format/formatter';
import { humanSize } from '../format/units';
import type { StructObject } from '../template';

export const DEFAULT_DF_FORMAT = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
export const DF_HEADERS: Record<string, string> = {
  Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE',
};

interface Summary { type: string; total: number; active: number; size: number; reclaimable: number; percent: boolean }

function row(s: Summary): StructObject {
  return makeStruct('*formatter.diskUsageContext', {
    Type: () => s.type,
    TotalCount: () => String(s.total),
    Active: () => String(s.active),
    Size: () => humanSize(s.size),
    Reclaimable: () => (s.percent && s.size > 0
      ? `${humanSize(s.reclaimable)} (${Math.trunc((s.reclaimable * 100) / s.size)}%)`
      : humanSize(s.reclaimable)),
  });
}

export function summarize(du: DiskUsageResponse): StructObject[] {
  const images = du.Images ?? [];
  let used = 0;
  for (const i of images) {
    if (i.Containers > 0 && i.Size !== -1 && i.SharedSize !== -1) used += i.Size - i.SharedSize;
  }
  const layers = du.LayersSize ?? 0;
  const containers = du.Containers ?? [];
  const activeState = (s: string) => s === 'running' || s === 'paused' || s === 'restarting';
  const cSize = containers.reduce((n, c) => n + (c.SizeRw ?? 0), 0);
  const cUsed = containers.filter((c) => activeState(c.State)).reduce((n, c) => n + (c.SizeRw ?? 0), 0);
  const volumes = du.Volumes ?? [];
  const vSize = volumes.reduce((n, v) => n + Math.max(0, v.UsageData?.Size ?? 0), 0);
  const vUsed = volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).reduce((n, v) => n + Math.max(0, v.UsageData?.Size ?? 0), 0);
  const cache = du.BuildCache ?? [];
  const bSize = cache.filter((b) => !b.Shared).reduce((n, b) => n + b.Size, 0);
  const bReclaim = cache.filter((b) => !b.Shared && !b.InUse).reduce((n, b) => n + b.Size, 0);
  return [
    row({ type: 'Images', total: images.length, active: images.filter((i) => i.Containers > 0).length, size: layers, reclaimable: layers - used, percent: true }),
    row({ type: 'Containers', total: containers.length, active: containers.filter((c) => activeState(c.State)).length, size: cSize, reclaimable: cSize - cUsed, percent: true }),
    row({ type: 'Local Volumes', total: volumes.length, active: volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length, size: vSize, reclaimable: vSize - vUsed, percent: true }),
    row({ type: 'Build Cache', total: cache.length, active: cache.filter((b) => b.InUse).length, size: bSize, reclaimable: bReclaim, percent: false }),
  ];
}
