// --health-* and --no-healthcheck → Config.Healthcheck, with the docker CLI's checks.
import type { FlagValues } from '../flags';
import { parseGoDuration } from './duration';

export interface HealthConfigBody {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

const DURATIONS = [
  ['health-interval', 'Interval'],
  ['health-timeout', 'Timeout'],
  ['health-start-period', 'StartPeriod'],
  ['health-start-interval', 'StartInterval'],
] as const;

export function healthConfigFrom(flags: FlagValues): HealthConfigBody | undefined {
  const cmd = flags.string('health-cmd');
  const durations = DURATIONS.map(([flag, key]) => [flag, key, parseGoDuration(flags.string(flag) || '0s')] as const);
  const retries = flags.int('health-retries');
  const any = cmd !== '' || retries !== 0 || durations.some(([, , ns]) => ns !== 0);
  if (flags.bool('no-healthcheck')) {
    if (any) throw new Error('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  if (!any) return undefined;
  for (const [flag, , ns] of durations) if (ns < 0) throw new Error(`--${flag} cannot be negative`);
  if (retries < 0) throw new Error('--health-retries cannot be negative');
  const hc: HealthConfigBody = {};
  if (cmd !== '') hc.Test = ['CMD-SHELL', cmd];
  for (const [, key, ns] of durations) hc[key] = ns;
  hc.Retries = retries;
  return hc;
}
