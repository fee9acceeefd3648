// A stage's state while it builds: its current image and runtime config, the
// build args in scope, and what expansion sees (ENV wins over ARG, as in Docker).
import type { ImageRuntimeConfig } from '../../image/types';
import type { Lookup } from '../parser';

export interface Platform { os: string; architecture: string; variant?: string }

export interface StageState {
  stage: number;
  imageId: string; // '' while a scratch stage has no image yet
  chainId: string | null;
  config: ImageRuntimeConfig;
  platform: Platform;
  /** ARGs declared in this stage → value in effect (undefined: declared without value). */
  args: Map<string, string | undefined>;
  author?: string;
}

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** Proxy args any Dockerfile may use without declaring them. */
export const PREDEFINED_ARGS = new Set([
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy',
]);

export function envValue(env: string[] | undefined, name: string): string | undefined {
  for (let i = (env?.length ?? 0) - 1; i >= 0; i--) {
    const e = env![i];
    const eq = e.indexOf('=');
    if ((eq < 0 ? e : e.slice(0, eq)) === name) return eq < 0 ? '' : e.slice(eq + 1);
  }
  return undefined;
}

export function setEnv(env: string[], name: string, value: string): string[] {
  const out = env.filter((e) => (e.indexOf('=') < 0 ? e : e.slice(0, e.indexOf('='))) !== name);
  // Docker keeps the variable's original position when it is replaced.
  const idx = env.findIndex((e) => (e.indexOf('=') < 0 ? e : e.slice(0, e.indexOf('='))) === name);
  if (idx < 0) return [...out, `${name}=${value}`];
  const copy = [...env];
  copy[idx] = `${name}=${value}`;
  return copy;
}

export function stageLookup(state: StageState): Lookup {
  return (name) => {
    const fromEnv = envValue(state.config.Env, name);
    if (fromEnv !== undefined) return fromEnv;
    return state.args.get(name);
  };
}

/** Build args in effect for RUN (declared, with a value, not shadowed by ENV). */
export function runArgs(state: StageState): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of state.args) {
    if (v === undefined || envValue(state.config.Env, k) !== undefined) continue;
    out.push([k, v]);
  }
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

export function shellOf(state: StageState): string[] {
  return state.config.Shell?.length ? state.config.Shell : DEFAULT_SHELL;
}
