// berth stats [OPTIONS] [CONTAINER...]: a live table of resource usage (Docker's layout,
// redrawn every 500 ms in place), or one snapshot with --no-stream.
import type { CommandContext, CommandDef } from '../command';
import { CliError } from '../errors';
import { errorText, FORMAT_USAGE } from './shared';
import { DEFAULT_STATS_FORMAT, STATS_HEADERS, statsContext } from '../contexts/stats';
import { renderRows } from '../format/formatter';
import { entryFrom, invalidEntry, type StatsEntry } from '../stats/calc';
import { jsonLines, readBody } from '../../client';
import type { StatsResponse } from '../../client';

const REDRAW_MS = 500;
const RELIST_MS = 1000;

function isConnectionError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConnectionError';
}

/** One snapshot (stream=false): the daemon pairs two samples a second apart for CPU %. */
async function snapshot(ctx: CommandContext, name: string): Promise<StatsEntry> {
  const res = await ctx.client().containers.stats(name, { stream: false });
  const body = (await readBody(res)).toString('utf8');
  return entryFrom(name, JSON.parse(body) as StatsResponse);
}

/** Streams of the containers being watched; entries hold the latest record of each. */
class LiveStats {
  readonly entries = new Map<string, StatsEntry>();
  private readonly aborts = new Map<string, AbortController>();
  /** Why a stream could not be opened or broke, per container. */
  readonly errors = new Map<string, unknown>();

  constructor(private readonly ctx: CommandContext) {}

  has(name: string): boolean { return this.entries.has(name); }

  add(name: string): Promise<void> {
    const ac = new AbortController();
    this.aborts.set(name, ac);
    this.entries.set(name, invalidEntry(name));
    let first: () => void = () => undefined;
    const gotFirst = new Promise<void>((resolve) => { first = resolve; });
    void (async () => {
      try {
        const res = await this.ctx.client().containers.stats(name, { stream: true, signal: ac.signal });
        for await (const v of jsonLines<StatsResponse>(res)) {
          if (!this.entries.has(name)) break;
          this.entries.set(name, entryFrom(name, v));
          first();
        }
      } catch (err) {
        if (!ac.signal.aborted) this.errors.set(name, err);
      }
      if (this.entries.has(name)) this.entries.set(name, invalidEntry(name, this.entries.get(name)));
      first();
    })();
    return gotFirst;
  }

  remove(name: string): void {
    this.aborts.get(name)?.abort();
    this.aborts.delete(name);
    this.entries.delete(name);
  }

  close(): void {
    for (const name of [...this.aborts.keys()]) this.remove(name);
  }
}

async function listIds(ctx: CommandContext, all: boolean): Promise<string[]> {
  return (await ctx.client().containers.list({ all })).map((c) => c.Id);
}

export const stats: CommandDef = {
  usage: '[OPTIONS] [CONTAINER...]',
  short: 'Display a live stream of container(s) resource usage statistics',
  flags: [
    { name: 'all', short: 'a', kind: 'bool', usage: 'Show all containers (default shows just running)' },
    { name: 'format', kind: 'string', usage: FORMAT_USAGE },
    { name: 'no-stream', kind: 'bool', usage: 'Disable streaming stats and only pull the first result' },
    { name: 'no-trunc', kind: 'bool', usage: 'Do not truncate output' },
  ],
  async run(ctx, flags, args) {
    const all = flags.bool('all');
    const trunc = !flags.bool('no-trunc');
    let format = flags.string('format');
    if (format === '' || format === 'table') format = DEFAULT_STATS_FORMAT;
    const render = (entries: StatsEntry[]) => renderRows(format, entries.map((e) => statsContext(e, trunc)), STATS_HEADERS);
    const listing = args.length === 0;

    if (flags.bool('no-stream')) {
      const names = listing ? await listIds(ctx, all) : args;
      const results = await Promise.allSettled(names.map((n) => snapshot(ctx, n)));
      const errors: string[] = [];
      const entries: StatsEntry[] = [];
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') { entries.push(r.value); return; }
        if (isConnectionError(r.reason)) throw r.reason;
        // A container removed while listing is skipped, as Docker's event-driven list does.
        if (!listing) errors.push(errorText(r.reason));
        else entries.push(invalidEntry(names[i]));
      });
      if (errors.length > 0) throw new CliError(errors.join('\n'), 1);
      if (entries.length > 0) ctx.out(render(entries));
      return;
    }

    const live = new LiveStats(ctx);
    try {
      const initial = listing ? await listIds(ctx, all) : args;
      await Promise.all(initial.map((n) => live.add(n)));
      const failed = [...live.errors.values()];
      const lost = failed.find(isConnectionError);
      if (lost) throw lost;
      if (!listing && failed.length > 0) throw new CliError(failed.map(errorText).join('\n'), 1);
      let lastList = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, REDRAW_MS));
        if (listing && Date.now() - lastList >= RELIST_MS) {
          lastList = Date.now();
          const ids = await listIds(ctx, all);
          for (const id of ids) if (!live.has(id)) void live.add(id);
          for (const name of [...live.entries.keys()]) if (!ids.includes(name)) live.remove(name);
        }
        const entries = [...live.entries.values()];
        if (entries.length === 0 && !listing) { ctx.out('\x1b[H\x1b[J'); return; }
        // Docker 28 ends each line with " \x1b[K" (Fprintln of line and the erase code).
        const frame = render(entries).split('\n').map((line) => `${line} \x1b[K\n`).join('');
        ctx.out(`\x1b[H${frame}\x1b[J`);
      }
    } finally {
      live.close();
    }
  },
};
