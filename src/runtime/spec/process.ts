// The process part of the spec: argv, environment, capabilities, rlimits, OOM score.
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '../../errors';
import { DEFAULT_CAPABILITIES, DEFAULT_PATH_ENV, allCapabilities, isKnownCapability } from './defaults';
import type { OciCapabilities } from './types';
import { canRaiseHardLimits } from './rlimits';

/** Docker's daemon environment (PATH, HOSTNAME, TERM) overridden by the container's Env. */
export function buildEnv(hostname: string, tty: boolean, env: string[] | null | undefined, home?: string): string[] {
  const base = [`PATH=${DEFAULT_PATH_ENV}`, `HOSTNAME=${hostname}`];
  if (tty) base.push('TERM=xterm');
  const out = replaceOrAppendEnv(base, env ?? []);
  if (home !== undefined && !out.some((e) => e.startsWith('HOME='))) out.push(`HOME=${home}`);
  return out;
}

/** Later values win by key; an override without "=" removes the key (moby ReplaceOrAppendEnvValues). */
export function replaceOrAppendEnv(defaults: string[], overrides: string[]): string[] {
  const out = defaults.slice();
  const index = new Map<string, number>();
  out.forEach((e, i) => index.set(envKey(e), i));
  for (const e of overrides) {
    const key = envKey(e);
    const at = index.get(key);
    if (!e.includes('=')) {
      if (at !== undefined) out[at] = '';
      continue;
    }
    if (at !== undefined) out[at] = e;
    else { index.set(key, out.length); out.push(e); }
  }
  return out.filter((e) => e !== '');
}

function envKey(e: string): string {
  const i = e.indexOf('=');
  return i < 0 ? e : e.slice(0, i);
}

function normalizeCap(name: string): string {
  const upper = name.toUpperCase();
  if (upper === 'ALL') return 'ALL';
  const full = upper.startsWith('CAP_') ? upper : 'CAP_' + upper;
  if (!isKnownCapability(full)) throw new InvalidArgumentError(`unknown capability: "${full}"`);
  return full;
}

/** Docker's TweakCapabilities: defaults, cap-add/cap-drop with ALL, or everything when privileged. */
export function buildCapabilities(privileged: boolean, capAdd: string[] | null | undefined, capDrop: string[] | null | undefined): OciCapabilities {
  let caps: string[];
  if (privileged) {
    caps = allCapabilities();
  } else {
    const adds = (capAdd ?? []).map(normalizeCap);
    const drops = (capDrop ?? []).map(normalizeCap);
    const set = new Set<string>(adds.includes('ALL') ? allCapabilities() : DEFAULT_CAPABILITIES);
    if (drops.includes('ALL')) set.clear();
    else for (const d of drops) set.delete(d);
    for (const a of adds) if (a !== 'ALL') set.add(a);
    caps = [...set];
  }
  // Inheritable stays empty (moby since CVE-2022-24769).
  return { bounding: caps, effective: caps.slice(), permitted: caps.slice(), inheritable: [] };
}

let ownOomScore: number | undefined;
/**
 * Docker always writes oom_score_adj, but lowering it below berthd's own value needs
 * CAP_SYS_RESOURCE; an unrequested 0 below our value is left out (inherited instead).
 */
export function oomScoreAdj(requested: number | undefined): number | undefined {
  const value = requested ?? 0;
  if (value === 0 && daemonOomScoreAdj() > 0) return undefined;
  return value;
}

function daemonOomScoreAdj(): number {
  if (ownOomScore === undefined) {
    try { ownOomScore = parseInt(readFileSync('/proc/self/oom_score_adj', 'utf8'), 10) || 0; } catch { ownOomScore = 0; }
  }
  return ownOomScore;
}

/** Create-time check: a requested value below berthd's own would make every start fail without CAP_SYS_RESOURCE. */
export function checkOomScoreAdj(requested: number | undefined): void {
  const own = daemonOomScoreAdj();
  if (requested !== undefined && requested !== 0 && requested < own && !canRaiseHardLimits()) {
    throw new InvalidArgumentError(`Invalid value ${requested} for oom score adj: it is below the daemon's own value ${own}, and the daemon lacks CAP_SYS_RESOURCE to lower it`);
  }
}
