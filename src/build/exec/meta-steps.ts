// Instructions that change only the image config (plus WORKDIR, which also
// creates its directory). Each records a "#(nop) " history entry as Docker's
// legacy builder does.
import * as path from 'node:path';
import { InvalidArgumentError } from '../../errors';
import { expandWord, expandWords, type Command } from '../parser';
import { goDuration, goQuote, goQuoteList, goRune, nopCmd } from '../history';
import { mkdirAll } from '../fs/copy-tree';
import { scopedPath } from '../fs/scoped-path';
import type { ImageRuntimeConfig } from '../../image/types';
import { runStep } from './commit-step';
import type { RunContext } from './run-context';
import { setEnv, shellOf, stageLookup, type StageState } from './state';

export interface MetaFlags { cmdSet: boolean }

export async function metaInstruction(rc: RunContext, state: StageState, cmd: Command, flags: MetaFlags): Promise<void> {
  const lookup = stageLookup(state);
  const ex = (w: string) => expandWord(w, lookup, { escape: rc.escape });
  const config: ImageRuntimeConfig = structuredClone(state.config);
  let text: string;
  switch (cmd.kind) {
    case 'ENV': {
      let env = config.Env ?? [];
      const parts: string[] = [];
      for (const [k, v] of cmd.pairs) {
        const name = ex(k);
        const value = ex(v);
        if (name === '') throw new InvalidArgumentError('ENV names can not be blank');
        env = setEnv(env, name, value);
        parts.push(`${name}=${value}`);
      }
      config.Env = env;
      text = `ENV ${parts.join(' ')}`;
      break;
    }
    case 'LABEL': {
      const labels = { ...(config.Labels ?? {}) };
      const parts: string[] = [];
      for (const [k, v] of cmd.pairs) {
        const name = ex(k);
        if (name === '') throw new InvalidArgumentError('LABEL names can not be blank');
        labels[name] = ex(v);
        parts.push(`${name}=${labels[name]}`);
      }
      config.Labels = labels;
      text = `LABEL ${parts.join(' ')}`;
      break;
    }
    case 'EXPOSE': {
      const ports = expandWords(cmd.text, lookup, { escape: rc.escape });
      const exposed = { ...(config.ExposedPorts ?? {}) };
      for (const p of ports) for (const key of portKeys(p)) exposed[key] = {};
      config.ExposedPorts = exposed;
      text = `EXPOSE ${ports.join(' ')}`;
      break;
    }
    case 'USER':
      config.User = ex(cmd.text);
      text = `USER ${config.User}`;
      break;
    case 'STOPSIGNAL': {
      const sig = ex(cmd.text);
      if (!/^(SIG)?[A-Z0-9+-]+$/i.test(sig) && !/^\d+$/.test(sig)) throw new InvalidArgumentError(`Invalid signal: ${sig}`);
      config.StopSignal = sig;
      text = `STOPSIGNAL ${sig}`;
      break;
    }
    case 'MAINTAINER':
      state.author = ex(cmd.text);
      text = `MAINTAINER ${state.author}`;
      break;
    case 'VOLUME': {
      const paths = cmd.paths.map((p) => ex(p));
      const vols = { ...(config.Volumes ?? {}) };
      for (const p of paths) {
        if (p.trim() === '') throw new InvalidArgumentError('VOLUME specified can not be an empty string');
        vols[p] = {};
      }
      config.Volumes = vols;
      text = `VOLUME [${paths.join(' ')}]`;
      break;
    }
    case 'SHELL':
      config.Shell = cmd.shell;
      text = `SHELL [${cmd.shell.join(' ')}]`;
      break;
    case 'ONBUILD':
      config.OnBuild = [...(config.OnBuild ?? []), cmd.trigger];
      text = `ONBUILD ${cmd.trigger}`;
      break;
    case 'CMD':
      config.Cmd = 'exec' in cmd.form ? cmd.form.exec : [...shellOf(state), cmd.form.shell];
      flags.cmdSet = true;
      text = `CMD ${goQuoteList(config.Cmd)}`;
      break;
    case 'ENTRYPOINT':
      config.Entrypoint = 'exec' in cmd.form ? cmd.form.exec : (cmd.form.shell === '' ? [] : [...shellOf(state), cmd.form.shell]);
      // An ENTRYPOINT resets a CMD inherited from the base image.
      if (!flags.cmdSet) config.Cmd = null;
      text = `ENTRYPOINT ${goQuoteList(config.Entrypoint)}`;
      break;
    case 'HEALTHCHECK': {
      const hc = cmd.test[0] === 'NONE'
        ? { Test: ['NONE'] }
        : {
          Test: cmd.test, ...(cmd.interval ? { Interval: cmd.interval } : {}), ...(cmd.timeout ? { Timeout: cmd.timeout } : {}),
          ...(cmd.startPeriod ? { StartPeriod: cmd.startPeriod } : {}), ...(cmd.startInterval ? { StartInterval: cmd.startInterval } : {}),
          ...(cmd.retries ? { Retries: cmd.retries } : {}),
        };
      config.Healthcheck = hc;
      const h = hc as { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
      text = `HEALTHCHECK &{${goQuoteList(h.Test)} ${goQuote(goDuration(h.Interval ?? 0))} ${goQuote(goDuration(h.Timeout ?? 0))} `
        + `${goQuote(goDuration(h.StartPeriod ?? 0))} ${goQuote(goDuration(h.StartInterval ?? 0))} ${goRune(h.Retries ?? 0)}}`;
      break;
    }
    case 'WORKDIR': {
      const dir = ex(cmd.text);
      config.WorkingDir = path.posix.resolve(state.config.WorkingDir || '/', dir);
      text = `WORKDIR ${config.WorkingDir}`;
      const wd = config.WorkingDir;
      await runStep(rc, state, {
        cmd: nopCmd(shellOf(state), text), config, inputs: [],
        mutate: async (root) => { mkdirAll(scopedPath(root, wd).host); },
      });
      return;
    }
    default:
      throw new InvalidArgumentError(`unexpected instruction ${cmd.kind}`);
  }
  await runStep(rc, state, { cmd: nopCmd(shellOf(state), text), config, inputs: [] });
}

/** "80", "80/udp", "8000-8002/tcp" → "80/tcp" keys. */
function portKeys(spec: string): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(spec);
  if (!m) throw new InvalidArgumentError(`Invalid containerPort: ${spec}`);
  const lo = Number(m[1]);
  const hi = m[2] ? Number(m[2]) : lo;
  const proto = (m[3] ?? 'tcp').toLowerCase();
  if (hi < lo || hi > 65535) throw new InvalidArgumentError(`Invalid range specified for the Port: ${spec}`);
  const out: string[] = [];
  for (let p = lo; p <= hi; p++) out.push(`${p}/${proto}`);
  return out;
}
