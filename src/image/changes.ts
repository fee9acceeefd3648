// Applies Dockerfile-style `--change` instructions (docker import / commit) to an
// image's runtime config.
import { InvalidArgumentError } from '../errors';
import type { ImageRuntimeConfig } from './types';

const ALLOWED = new Set(['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'USER', 'VOLUME', 'WORKDIR', 'STOPSIGNAL', 'SHELL']);
const KNOWN = new Set([...ALLOWED, 'ADD', 'ARG', 'COPY', 'FROM', 'HEALTHCHECK', 'MAINTAINER', 'RUN']);

function jsonArray(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(rest);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch { /* shell form */ }
  return undefined;
}

/** Splits `k=v "k 2"="v 2"` style words, honouring double/single quotes and backslashes. */
function words(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") { quote = ch; any = true; }
    else if (ch === '\\' && i + 1 < text.length) { cur += text[++i]; any = true; }
    else if (/\s/.test(ch)) { if (cur || any) out.push(cur); cur = ''; any = false; }
    else { cur += ch; any = true; }
  }
  if (quote) throw new InvalidArgumentError(`unmatched quote in: ${text}`);
  if (cur || any) out.push(cur);
  return out;
}

function keyValues(instr: string, rest: string): Array<[string, string]> {
  const parts = words(rest);
  if (parts.length === 0) throw new InvalidArgumentError(`${instr} requires at least one argument`);
  if (!parts[0].includes('=')) {
    // Legacy "ENV key value with spaces".
    const m = /^(\S+)\s+([\s\S]*)$/.exec(rest.trim());
    if (!m) throw new InvalidArgumentError(`${instr} must have two arguments`);
    return [[m[1], words(m[2]).join(' ')]];
  }
  return parts.map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${instr} names can not be blank`);
    return [p.slice(0, eq), p.slice(eq + 1)];
  });
}

export function applyChanges(config: ImageRuntimeConfig, changes: string[]): ImageRuntimeConfig {
  const out: ImageRuntimeConfig = { ...config };
  for (const raw of changes) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\S+)\s*([\s\S]*)$/.exec(line);
    if (!m) continue;
    const instr = m[1].toUpperCase();
    const rest = m[2].trim();
    if (!KNOWN.has(instr)) throw new InvalidArgumentError(`dockerfile parse error on line 1: unknown instruction: ${m[1]}`);
    if (!ALLOWED.has(instr)) throw new InvalidArgumentError(`${instr.toLowerCase()} is not a valid change command`);
    const shell = out.Shell ?? ['/bin/sh', '-c'];
    switch (instr) {
      case 'CMD': out.Cmd = jsonArray(rest) ?? [...shell, rest]; break;
      case 'ENTRYPOINT': out.Entrypoint = jsonArray(rest) ?? [...shell, rest]; if (!('Cmd' in config)) out.Cmd = null; break;
      case 'SHELL': {
        const arr = jsonArray(rest);
        if (!arr) throw new InvalidArgumentError('SHELL requires the arguments to be in JSON form');
        out.Shell = arr;
        break;
      }
      case 'ENV': {
        const env = [...(out.Env ?? [])];
        for (const [k, v] of keyValues('ENV', rest)) {
          const i = env.findIndex((e) => e.split('=')[0] === k);
          if (i >= 0) env[i] = `${k}=${v}`; else env.push(`${k}=${v}`);
        }
        out.Env = env;
        break;
      }
      case 'LABEL': {
        const labels = { ...(out.Labels ?? {}) };
        for (const [k, v] of keyValues('LABEL', rest)) labels[k] = v;
        out.Labels = labels;
        break;
      }
      case 'EXPOSE': {
        const ports = { ...(out.ExposedPorts ?? {}) };
        for (const p of words(rest)) ports[p.includes('/') ? p.toLowerCase() : `${p}/tcp`] = {};
        out.ExposedPorts = ports;
        break;
      }
      case 'VOLUME': {
        const vols = { ...(out.Volumes ?? {}) };
        for (const v of jsonArray(rest) ?? words(rest)) vols[v] = {};
        out.Volumes = vols;
        break;
      }
      case 'USER': out.User = rest; break;
      case 'WORKDIR': out.WorkingDir = rest.startsWith('/') ? rest : `${out.WorkingDir || '/'}/${rest}`.replace(/\/+/g, '/'); break;
      case 'STOPSIGNAL': out.StopSignal = rest; break;
      case 'ONBUILD': out.OnBuild = [...(out.OnBuild ?? []), rest]; break;
    }
  }
  return out;
}
