// Parsers for the value syntaxes of container flags (Docker's opts package rules).
import * as fs from 'node:fs';

/** --cpus: a decimal number of CPUs → NanoCpus (must be a whole number of nano-CPUs). */
export function parseNanoCpus(value: string): number {
  const t = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) throw new Error(`failed to parse ${value} as a rational number`);
  const frac = t.split('.')[1] ?? '';
  if (frac.replace(/0+$/, '').length > 9) throw new Error('value is too precise');
  return Math.round(Number(t) * 1e9);
}

/** "KEY=value" stays; a bare "KEY" takes the value from the CLI's environment when set. */
export function resolveEnv(entry: string, env: NodeJS.ProcessEnv = process.env): string {
  if (entry.includes('=')) return entry;
  const value = env[entry];
  return value === undefined ? entry : `${entry}=${value}`;
}

/**
 * Lines of an env or label file (docker/cli parseKeyValueFile): leading whitespace and a
 * UTF-8 BOM dropped, blank lines and # comments skipped, values passed through untouched,
 * a bare env name takes the CLI's environment value (and is dropped when unset).
 */
export function readKeyValueFile(file: string, what: 'env' | 'label'): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`open ${file}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message}`);
  }
  // docker CLI 28 says "env file" for label files too.
  const bad = (why: string) => new Error(`invalid env file (${file}): ${why}`);
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq >= 0 ? line.slice(0, eq) : line;
    if (/\s/.test(key)) throw bad(`variable '${key}' contains whitespaces`);
    if (key === '') throw bad(`no variable name on line '${line}'`);
    if (eq < 0 && what === 'env') {
      const v = process.env[key];
      if (v !== undefined) out.push(`${key}=${v}`);
      continue;
    }
    out.push(line);
  }
  return out;
}

export function labelsFrom(entries: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    if (eq === 0) throw new Error(`invalid label '${e}': empty name`);
    if (eq < 0) labels[e] = '';
    else labels[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return labels;
}

/** --restart: "no", "always", "unless-stopped", "on-failure[:max-retries]". */
export function parseRestartPolicy(value: string): { Name: string; MaximumRetryCount: number } {
  if (value === '') return { Name: '', MaximumRetryCount: 0 };
  const colon = value.indexOf(':');
  const name = colon >= 0 ? value.slice(0, colon) : value;
  const count = colon >= 0 ? value.slice(colon + 1) : '';
  if (colon >= 0 && name === '') throw new Error('invalid restart policy format: no policy provided before colon');
  let max = 0;
  if (count !== '') {
    if (!/^[+-]?\d+$/.test(count)) throw new Error('invalid restart policy format: maximum retry count must be an integer');
    max = Number(count);
  }
  return { Name: name, MaximumRetryCount: max };
}

/** --ulimit name=soft[:hard]. */
export function parseUlimit(value: string): { Name: string; Soft: number; Hard: number } {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(value);
  if (!m) throw new Error(`invalid ulimit argument: ${value}`);
  const soft = Number(m[2]);
  const hard = m[3] === undefined ? soft : Number(m[3]);
  if (soft > hard) throw new Error(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  return { Name: m[1], Soft: soft, Hard: hard };
}

/** --attach values: stdin / stdout / stderr (any case). */
export function parseAttach(values: string[]): { stdin: boolean; stdout: boolean; stderr: boolean } {
  const out = { stdin: false, stdout: false, stderr: false };
  for (const v of values) {
    const k = v.toLowerCase();
    if (k !== 'stdin' && k !== 'stdout' && k !== 'stderr') {
      throw new Error(`invalid argument "${v}" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR`);
    }
    out[k] = true;
  }
  return out;
}

const DEVICE_MODE = /^[rwm]{1,3}$/;
const validMode = (m: string) => DEVICE_MODE.test(m) && new Set(m).size === m.length;

/** --device host[:container][:rwm] (docker/cli parseLinuxDevice + ValidateDevice). */
export function parseDevice(value: string): { PathOnHost: string; PathInContainer: string; CgroupPermissions: string } {
  const parts = value.split(':');
  if (parts.length > 3) throw new Error(`invalid device specification: ${value}`);
  let [src, dst, mode] = [parts[0], '', 'rwm'];
  if (parts.length === 3) { dst = parts[1]; mode = parts[2]; }
  if (parts.length === 2) { if (validMode(parts[1])) mode = parts[1]; else dst = parts[1]; }
  if (!dst) dst = src;
  if (!dst.startsWith('/')) throw new Error(`bad format for path: ${value}`);
  if (!validMode(mode)) throw new Error(`bad mode specified: ${mode}`);
  return { PathOnHost: src, PathInContainer: dst, CgroupPermissions: mode };
}
