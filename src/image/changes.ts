// Applies Dockerfile-style `--change` instructions (docker import / commit) to an
// image's runtime config, as Docker's BuildFromConfig does: only the commit
// commands are allowed, variables expand from the config's Env.
import { InvalidArgumentError } from '../errors';
import { envLookup, jsonArray, parseGoDuration, processWord, shellWords, type EnvLookup } from './shell-words';
import type { ImageRuntimeConfig } from './types';

// moby's validCommitCommands.
const ALLOWED = new Set(['cmd', 'entrypoint', 'healthcheck', 'env', 'expose', 'label', 'onbuild', 'stopsignal', 'user', 'volume', 'workdir']);

const bad = (msg: string) => new InvalidArgumentError(msg);

function keyValues(instr: string, rest: string, env: EnvLookup): Array<[string, string]> {
  const parts = shellWords(rest);
  if (parts.length === 0) throw bad(`${instr} requires at least one argument`);
  if (!parts[0].includes('=')) {
    // Legacy "ENV key value with spaces": the rest of the line is the value.
    const m = /^(\S+)\s+([\s\S]*)$/.exec(rest);
    if (!m) throw bad(`${instr} must have two arguments`);
    return [[m[1], processWord(m[2], env)]];
  }
  return shellWords(rest, env).map((p) => {
    const eq = p.indexOf('=');
    if (eq < 0) throw bad(`Syntax error - can't find = in "${p}". Must be of the form: name=value`);
    if (eq === 0) throw bad(`${instr} names can not be blank`);
    return [p.slice(0, eq), p.slice(eq + 1)];
  });
}

function oneArg(instr: string, rest: string, env: EnvLookup): string {
  const words = shellWords(rest, env);
  if (words.length !== 1) throw bad(`${instr} requires exactly one argument`);
  return words[0];
}

/** `8080`, `53/udp`, `8000-8002/tcp` → Docker's "port/proto" keys. */
function exposedPorts(spec: string): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/([A-Za-z]+))?$/.exec(spec);
  if (!m) throw bad(`invalid containerPort: ${spec.split('/')[0]}`);
  const proto = (m[3] ?? 'tcp').toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw bad(`invalid proto: ${proto}`);
  const start = Number(m[1]);
  const end = m[2] !== undefined ? Number(m[2]) : start;
  if (start > 65535 || end > 65535 || end < start) throw bad(`invalid containerPort: ${spec.split('/')[0]}`);
  const out: string[] = [];
  for (let p = start; p <= end; p++) out.push(`${p}/${proto}`);
  return out;
}

function healthcheck(rest: string): NonNullable<ImageRuntimeConfig['Healthcheck']> {
  let text = rest;
  const hc: NonNullable<ImageRuntimeConfig['Healthcheck']> = {};
  for (let m = /^--([a-z-]+)=(\S*)\s*/.exec(text); m; m = /^--([a-z-]+)=(\S*)\s*/.exec(text)) {
    text = text.slice(m[0].length);
    const [, flag, value] = m;
    if (flag === 'retries') {
      if (!/^\d+$/.test(value)) throw bad(`invalid value for --retries: ${value}`);
      hc.Retries = Number(value);
      continue;
    }
    const key = ({ interval: 'Interval', timeout: 'Timeout', 'start-period': 'StartPeriod', 'start-interval': 'StartInterval' } as const)[flag as 'interval'];
    if (!key) throw bad(`Unknown flag: ${flag}`);
    hc[key] = parseGoDuration(value);
  }
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text);
  if (!m) throw bad('HEALTHCHECK requires at least one argument');
  const type = m[1].toUpperCase();
  if (type === 'NONE') {
    if (m[2] || Object.keys(hc).length) throw bad('HEALTHCHECK NONE takes no arguments');
    return { Test: ['NONE'] };
  }
  if (type !== 'CMD') throw bad(`Unknown type "${type}" in HEALTHCHECK (try CMD)`);
  if (!m[2]) throw bad('Missing command after HEALTHCHECK CMD');
  const exec = jsonArray(m[2]);
  return { ...hc, Test: exec ? ['CMD', ...exec] : ['CMD-SHELL', m[2]] };
}

export function applyChanges(config: ImageRuntimeConfig, changes: string[]): ImageRuntimeConfig {
  const out: ImageRuntimeConfig = { ...config };
  const lines = changes.flatMap((c) => c.split('\n')).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const line of lines) {
    if (!ALLOWED.has(line.split(/\s/, 1)[0].toLowerCase())) throw bad(`${line.split(/\s/, 1)[0].toLowerCase()} is not a valid change command`);
  }
  let cmdSet = false;
  for (const line of lines) {
    const m = /^(\S+)\s*([\s\S]*)$/.exec(line) as RegExpExecArray;
    const instr = m[1].toUpperCase();
    const rest = m[2].trim();
    const env = envLookup(out.Env);
    const shell = out.Shell ?? ['/bin/sh', '-c'];
    switch (instr) {
      case 'CMD': out.Cmd = jsonArray(rest) ?? [...shell, rest]; cmdSet = true; break;
      case 'ENTRYPOINT':
        out.Entrypoint = jsonArray(rest) ?? (rest ? [...shell, rest] : null);
        if (!cmdSet) out.Cmd = null; // as Docker: an ENTRYPOINT resets an inherited CMD
        break;
      case 'HEALTHCHECK': out.Healthcheck = healthcheck(rest); break;
      case 'ENV': {
        const vars = [...(out.Env ?? [])];
        for (const [k, v] of keyValues('ENV', rest, env)) {
          const i = vars.findIndex((e) => e.split('=')[0] === k);
          if (i >= 0) vars[i] = `${k}=${v}`; else vars.push(`${k}=${v}`);
        }
        out.Env = vars;
        break;
      }
      case 'LABEL': {
        const labels = { ...(out.Labels ?? {}) };
        for (const [k, v] of keyValues('LABEL', rest, env)) labels[k] = v;
        out.Labels = labels;
        break;
      }
      case 'EXPOSE': {
        const specs = shellWords(rest, env);
        if (specs.length === 0) throw bad('EXPOSE requires at least one argument');
        const ports = { ...(out.ExposedPorts ?? {}) };
        for (const spec of specs) for (const p of exposedPorts(spec)) ports[p] = {};
        out.ExposedPorts = ports;
        break;
      }
      case 'VOLUME': {
        const list = jsonArray(rest) ?? shellWords(rest, env);
        if (list.length === 0) throw bad('VOLUME requires at least one argument');
        const vols = { ...(out.Volumes ?? {}) };
        for (const v of list) {
          if (!v.trim()) throw bad('VOLUME specified can not be an empty string');
          vols[v] = {};
        }
        out.Volumes = vols;
        break;
      }
      case 'USER': out.User = oneArg('USER', rest, env); break;
      case 'WORKDIR': {
        const dir = oneArg('WORKDIR', rest, env);
        out.WorkingDir = normalizePath(dir.startsWith('/') ? dir : `${out.WorkingDir || '/'}/${dir}`);
        break;
      }
      case 'STOPSIGNAL': out.StopSignal = oneArg('STOPSIGNAL', rest, env); break;
      case 'ONBUILD': {
        const trigger = rest.split(/\s/, 1)[0].toUpperCase();
        if (!trigger) throw bad('ONBUILD requires at least one argument');
        if (trigger === 'ONBUILD') throw bad('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
        if (trigger === 'FROM' || trigger === 'MAINTAINER') throw bad(`${trigger} isn't allowed as an ONBUILD trigger`);
        out.OnBuild = [...(out.OnBuild ?? []), rest];
        break;
      }
    }
  }
  return out;
}

/** path.Clean for absolute paths. */
function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop(); else parts.push(seg);
  }
  return '/' + parts.join('/');
}
