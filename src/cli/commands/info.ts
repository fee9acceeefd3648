// berth info / system info: client and daemon summary in Docker's layout, or --format.
import type { CommandDef } from '../command';
import { CliError } from '../errors';
import { Template } from '../template';
import { bytesSize } from '../format/units';
import { errorText } from './shared';

type Info = Record<string, unknown>;

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function serverText(i: Info): string {
  const lines: string[] = [];
  const add = (label: string, value: unknown) => lines.push(`${label}: ${str(value)}`);
  add(' Containers', i.Containers);
  add('  Running', i.ContainersRunning);
  add('  Paused', i.ContainersPaused);
  add('  Stopped', i.ContainersStopped);
  add(' Images', i.Images);
  add(' Server Version', i.ServerVersion);
  add(' Storage Driver', i.Driver);
  for (const [k, v] of list(i.DriverStatus) as Array<[string, string]>) add(`  ${k}`, v);
  add(' Logging Driver', i.LoggingDriver);
  add(' Cgroup Driver', i.CgroupDriver);
  add(' Cgroup Version', i.CgroupVersion);
  const plugins = (i.Plugins ?? {}) as Record<string, unknown>;
  lines.push(' Plugins:');
  for (const kind of ['Volume', 'Network', 'Log']) {
    const names = list(plugins[kind]);
    if (names.length) add(`  ${kind}`, names.join(' '));
  }
  const swarm = (i.Swarm ?? {}) as Record<string, unknown>;
  add(' Swarm', swarm.LocalNodeState || 'inactive');
  add(' Runtimes', Object.keys((i.Runtimes ?? {}) as object).join(' '));
  add(' Default Runtime', i.DefaultRuntime);
  add(' Init Binary', i.InitBinary);
  const runc = (i.RuncCommit ?? {}) as Record<string, unknown>;
  add(' runc version', runc.ID);
  const secopts = list(i.SecurityOptions).map(String);
  if (secopts.length) {
    lines.push(' Security Options:');
    for (const opt of secopts) {
      const fields = Object.fromEntries(opt.split(',').map((kv) => kv.split('=') as [string, string]));
      lines.push(`  ${fields.name ?? opt}`);
      for (const [k, v] of Object.entries(fields)) if (k !== 'name') lines.push(`   ${k[0].toUpperCase()}${k.slice(1)}: ${v}`);
    }
  }
  add(' Kernel Version', i.KernelVersion);
  add(' Operating System', i.OperatingSystem);
  add(' OSType', i.OSType);
  add(' Architecture', i.Architecture);
  add(' CPUs', i.NCPU);
  add(' Total Memory', typeof i.MemTotal === 'number' ? bytesSize(i.MemTotal) : '');
  add(' Name', i.Name);
  add(' ID', i.ID);
  add(' Berth Root Dir', i.DockerRootDir);
  add(' Debug Mode', i.Debug === true);
  add(' Experimental', i.ExperimentalBuild === true);
  const labels = list(i.Labels);
  if (labels.length) {
    lines.push(' Labels:');
    for (const l of labels) lines.push(`  ${str(l)}`);
  }
  add(' Live Restore Enabled', i.LiveRestoreEnabled === true);
  const warnings = list(i.Warnings).map(String);
  return lines.join('\n') + '\n' + (warnings.length ? '\n' + warnings.join('\n') + '\n' : '');
}

export const info: CommandDef = {
  usage: '[OPTIONS]',
  short: 'Display system-wide information',
  args: { max: 0 },
  flags: [{
    name: 'format', short: 'f', kind: 'string',
    usage: "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates",
  }],
  async run(ctx, flags) {
    const { BERTH_VERSION } = await import('../build-info');
    const format = flags.string('format');
    let server: Info | undefined;
    let failure: unknown;
    try {
      server = await ctx.client().system.info();
    } catch (err) {
      if (err instanceof Error && err.name === 'ConnectionError' && format) throw err;
      failure = err;
    }
    const clientInfo = { Debug: false, Context: 'default', Version: BERTH_VERSION, Plugins: [], Warnings: null };
    if (format) {
      let tmpl: Template;
      try {
        tmpl = Template.parse(format === 'json' ? '{{json .}}' : format);
      } catch (err) {
        throw new CliError(`template parsing error: ${(err as Error).message}`, 64);
      }
      const data = { ...(server ?? {}), ClientInfo: clientInfo };
      ctx.out(tmpl.execute(data) + '\n');
      if (failure) throw new CliError(errorText(failure), 1);
      return;
    }
    ctx.out(`Client:\n Version:    ${BERTH_VERSION}\n Context:    default\n Debug Mode: false\n\nServer:\n`);
    if (!server) throw new CliError(`ERROR: ${errorText(failure)}\nerrors pretty printing info`, 1);
    ctx.out(serverText(server));
  },
};
