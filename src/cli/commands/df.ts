// berth system df [-v]: disk usage by images, containers, volumes and build cache.
import type { CommandContext, CommandDef } from '../command';
import type { DiskUsageResponse } from '../../client/types';
import { CliError } from '../errors';
import { isTableFormat, makeStruct, renderRows } from '../format/formatter';
import { humanSize, truncateId } from '../format/units';
import { Template } from '../template';
import { DEFAULT_DF_FORMAT, DF_HEADERS, summarize } from '../contexts/disk-usage';
import { CONTAINER_HEADERS, containerContext } from '../contexts/container';
import { IMAGE_HEADERS, imageContext, familiarName, isDangling } from '../contexts/image';
import { formatFlag } from './shared';

const DF_IMAGES = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}';
const DF_CONTAINERS = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}';
const DF_VOLUMES = 'table {{.Name}}\t{{.Links}}\t{{.Size}}';
const DF_CACHE = 'table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}';

function verboseRows(du: DiskUsageResponse, trunc: boolean) {
  const images = (du.Images ?? []).map((i) => {
    let repo = '<none>';
    let tag = '<none>';
    const first = i.RepoTags?.[0];
    if (first && !isDangling(i)) {
      const colon = first.lastIndexOf(':');
      if (colon > first.lastIndexOf('/')) {
        repo = familiarName(first.slice(0, colon));
        tag = first.slice(colon + 1);
      }
    }
    return imageContext(i, repo, tag, '', trunc);
  });
  const containers = (du.Containers ?? []).map((c) => containerContext({ ...c, SizeRootFs: 0 }, trunc));
  const volumes = (du.Volumes ?? []).map((v) => makeStruct('*formatter.volumeContext', {
    Name: () => v.Name, Driver: () => v.Driver,
    Links: () => (v.UsageData ? String(v.UsageData.RefCount) : 'N/A'),
    Size: () => (v.UsageData && v.UsageData.Size !== -1 ? humanSize(v.UsageData.Size) : 'N/A'),
  }));
  const cache = (du.BuildCache ?? []).map((b) => makeStruct('*formatter.buildCacheContext', {
    ID: () => (trunc ? truncateId(b.ID) : b.ID), CacheType: () => b.Type, Size: () => humanSize(b.Size),
    CreatedSince: () => b.CreatedAt ?? '', LastUsedSince: () => b.LastUsedAt ?? '', UsageCount: () => String(b.UsageCount ?? 0),
    Shared: () => String(b.Shared), InUse: () => String(b.InUse),
  }));
  return { Images: images, Containers: containers, Volumes: volumes, BuildCache: cache };
}

function printVerboseTable(ctx: CommandContext, du: DiskUsageResponse): void {
  const v = verboseRows(du, true);
  ctx.out('Images space usage:\n\n');
  ctx.out(renderRows(DF_IMAGES, v.Images, IMAGE_HEADERS));
  ctx.out('\nContainers space usage:\n\n');
  ctx.out(renderRows(DF_CONTAINERS, v.Containers, CONTAINER_HEADERS));
  ctx.out('\nLocal Volumes space usage:\n\n');
  ctx.out(renderRows(DF_VOLUMES, v.Volumes, { Name: 'VOLUME NAME', Links: 'LINKS', Size: 'SIZE' }));
  const cacheSize = (du.BuildCache ?? []).filter((b) => !b.Shared).reduce((n, b) => n + b.Size, 0);
  ctx.out(`\nBuild cache usage: ${humanSize(cacheSize)}\n\n`);
  ctx.out(renderRows(DF_CACHE, v.BuildCache, {
    ID: 'CACHE ID', CacheType: 'CACHE TYPE', Size: 'SIZE', CreatedSince: 'CREATED', LastUsedSince: 'LAST USED', UsageCount: 'USAGE', Shared: 'SHARED',
  }));
}

export const df: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Show berth disk usage',
  args: { max: 0 },
  flags: [formatFlag, { name: 'verbose', short: 'v', kind: 'bool', usage: 'Show detailed information on space usage' }],
  async run(ctx, flags) {
    const du = await ctx.client().system.diskUsage();
    const format = flags.string('format') || 'table';
    if (!flags.bool('verbose')) {
      ctx.out(renderRows(format === 'table' ? DEFAULT_DF_FORMAT : format, summarize(du), DF_HEADERS));
      return;
    }
    if (format === 'table') {
      printVerboseTable(ctx, du);
      return;
    }
    try {
      const tmpl = Template.parse(format === 'json' ? '{{json .}}' : format.replace(/^table\s*/, ''));
      ctx.out(tmpl.execute(verboseRows(du, isTableFormat(format))) + '\n');
    } catch (err) {
      throw new CliError(`template parsing error: ${(err as Error).message}`, 1);
    }
  },
};
