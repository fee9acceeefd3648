// Raw instructions → typed commands, checked as Docker checks them at parse time
// (argument counts, flags, forms). Variables stay unexpanded: they are expanded
// when the step runs, with the stage's args and env.
import { DockerfileSyntaxError } from './dockerfile';
import { splitRawWords } from './expand';
import type { Heredoc, ParsedDockerfile, RawInstruction } from './types';

interface Base { raw: RawInstruction }
export type CommandForm = { exec: string[] } | { shell: string };

export interface FromCommand extends Base { kind: 'FROM'; image: string; name?: string; platform?: string }
export interface RunCommand extends Base {
  kind: 'RUN'; form: CommandForm; heredocs: Heredoc[]; mounts: string[]; network?: string;
}
export interface CopyCommand extends Base {
  kind: 'COPY' | 'ADD'; sources: string[]; dest: string; from?: string; chown?: string; chmod?: string;
  link: boolean; checksum?: string; heredocs: Heredoc[];
}
export interface PairsCommand extends Base { kind: 'ENV' | 'LABEL'; pairs: Array<[string, string]> }
export interface ArgCommand extends Base { kind: 'ARG'; args: Array<{ name: string; value?: string }> }
export interface TextCommand extends Base { kind: 'EXPOSE' | 'USER' | 'WORKDIR' | 'STOPSIGNAL' | 'MAINTAINER'; text: string }
export interface VolumeCommand extends Base { kind: 'VOLUME'; paths: string[]; json: boolean }
export interface ShellCommand extends Base { kind: 'SHELL'; shell: string[] }
export interface CmdCommand extends Base { kind: 'CMD' | 'ENTRYPOINT'; form: CommandForm }
export interface OnbuildCommand extends Base { kind: 'ONBUILD'; trigger: string }
export interface HealthcheckCommand extends Base {
  kind: 'HEALTHCHECK';
  test: string[]; // ["NONE"] | ["CMD", ...] | ["CMD-SHELL", cmd]
  interval?: number; timeout?: number; startPeriod?: number; startInterval?: number; retries?: number; // ns / count
}

export type Command = FromCommand | RunCommand | CopyCommand | PairsCommand | ArgCommand | TextCommand
  | VolumeCommand | ShellCommand | CmdCommand | OnbuildCommand | HealthcheckCommand;

const ALLOWED_FLAGS: Record<string, string[]> = {
  FROM: ['platform'],
  RUN: ['mount', 'network', 'security'],
  COPY: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  ADD: ['chown', 'chmod', 'link', 'checksum', 'keep-git-dir', 'exclude'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

export function toCommands(df: ParsedDockerfile): Command[] {
  return df.instructions.map((raw) => toCommand(raw, df.file, df.escape));
}

export function toCommand(raw: RawInstruction, file: string, escape = '\\'): Command {
  const fail = (msg: string): never => { throw new DockerfileSyntaxError(file, raw.line, msg); };
  const flags = parseFlags(raw, fail);
  const rest = raw.rest;
  const words = () => splitRawWords(rest, escape);
  switch (raw.keyword) {
    case 'FROM': {
      const w = words();
      if (w.length !== 1 && w.length !== 3) fail('FROM requires either one or three arguments');
      if (w.length === 3 && w[1].toUpperCase() !== 'AS') fail("FROM requires either one or three arguments");
      const name = w.length === 3 ? w[2].toLowerCase() : undefined;
      if (name !== undefined && !/^[a-z][a-z0-9-_.]*$/.test(name)) fail(`invalid name for build stage: "${w[2]}", name can't start with a number or contain symbols`);
      return { kind: 'FROM', raw, image: w[0], name, platform: flags.get('platform') };
    }
    case 'RUN': {
      const form = commandForm(raw);
      if ('shell' in form && form.shell === '' && raw.heredocs.length === 0) fail('RUN requires at least one argument');
      const network = flags.get('network');
      if (network !== undefined && !['none', 'default', 'host'].includes(network)) fail(`unsupported network mode "${network}"`);
      return { kind: 'RUN', raw, form, heredocs: raw.heredocs, mounts: flags.getAll('mount'), network };
    }
    case 'COPY': case 'ADD': {
      const all = raw.json ?? words();
      if (all.length < 2) fail(`${raw.keyword} requires at least two arguments, but only one was provided. Destination could not be determined.`);
      const heredocNames = new Set(raw.heredocs.map((h) => h.name));
      const sources = all.slice(0, -1).map((s) => {
        const mark = /^<<-?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?$/.exec(s);
        return mark && heredocNames.has(mark[1]) ? `<<${mark[1]}` : s;
      });
      if (raw.keyword === 'COPY' && flags.has('checksum')) fail('Unknown flag: checksum');
      return {
        kind: raw.keyword, raw, sources, dest: all[all.length - 1], from: flags.get('from'), chown: flags.get('chown'),
        chmod: flags.get('chmod'), link: flags.bool('link'), checksum: flags.get('checksum'), heredocs: raw.heredocs,
      };
    }
    case 'ENV': case 'LABEL':
      return { kind: raw.keyword, raw, pairs: parsePairs(raw.keyword, rest, escape, fail) };
    case 'ARG': {
      const w = words();
      if (w.length === 0) fail('ARG requires at least one argument');
      return {
        kind: 'ARG', raw, args: w.map((a) => {
          const eq = a.indexOf('=');
          const name = eq < 0 ? a : a.slice(0, eq);
          if (name === '') fail('ARG names can not be blank');
          return eq < 0 ? { name } : { name, value: a.slice(eq + 1) };
        }),
      };
    }
    case 'EXPOSE': case 'USER': case 'WORKDIR': case 'STOPSIGNAL': case 'MAINTAINER': {
      if (rest === '') fail(`${raw.keyword} requires ${raw.keyword === 'EXPOSE' ? 'at least one argument' : 'exactly one argument'}`);
      if ((raw.keyword === 'USER' || raw.keyword === 'STOPSIGNAL') && words().length !== 1) fail(`${raw.keyword} requires exactly one argument`);
      return { kind: raw.keyword, raw, text: rest };
    }
    case 'VOLUME': {
      const paths = raw.json ?? words();
      if (paths.length === 0 || paths.some((p) => p.trim() === '')) fail('VOLUME specified can not be an empty string');
      return { kind: 'VOLUME', raw, paths, json: raw.json !== undefined };
    }
    case 'SHELL':
      if (!raw.json) fail('SHELL requires the arguments to be in JSON form');
      if (raw.json!.length === 0) fail('SHELL requires at least one argument');
      return { kind: 'SHELL', raw, shell: raw.json! };
    case 'CMD': case 'ENTRYPOINT':
      return { kind: raw.keyword, raw, form: commandForm(raw) };
    case 'ONBUILD': {
      const trigger = rest.trim();
      const word = trigger.split(/\s+/)[0]?.toUpperCase() ?? '';
      if (trigger === '') fail('ONBUILD requires at least one argument');
      if (word === 'ONBUILD') fail("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      if (word === 'FROM' || word === 'MAINTAINER') fail(`${word} isn't allowed as an ONBUILD trigger`);
      return { kind: 'ONBUILD', raw, trigger };
    }
    case 'HEALTHCHECK':
      return healthcheck(raw, flags, fail);
    default:
      return fail(`unknown instruction: ${raw.keyword}`);
  }
}

function commandForm(raw: RawInstruction): CommandForm {
  return raw.json ? { exec: raw.json } : { shell: raw.rest };
}

interface Flags {
  get(name: string): string | undefined;
  getAll(name: string): string[];
  has(name: string): boolean;
  bool(name: string): boolean;
}

function parseFlags(raw: RawInstruction, fail: (m: string) => never): Flags {
  const allowed = ALLOWED_FLAGS[raw.keyword] ?? [];
  const values = new Map<string, string[]>();
  for (const f of raw.flags) {
    const eq = f.indexOf('=');
    const name = (eq < 0 ? f.slice(2) : f.slice(2, eq)).toLowerCase();
    if (!allowed.includes(name)) fail(`Unknown flag: ${name}`);
    const list = values.get(name) ?? [];
    list.push(eq < 0 ? '' : f.slice(eq + 1));
    values.set(name, list);
  }
  return {
    get: (n) => values.get(n)?.at(-1),
    getAll: (n) => values.get(n) ?? [],
    has: (n) => values.has(n),
    bool: (n) => {
      const v = values.get(n)?.at(-1);
      if (v === undefined) return false;
      if (v === '' || v === 'true') return true;
      if (v === 'false') return false;
      return fail(`expecting boolean value for flag ${n}, not: ${v}`);
    },
  };
}

function parsePairs(keyword: string, rest: string, escape: string, fail: (m: string) => never): Array<[string, string]> {
  const words = splitRawWords(rest, escape);
  if (words.length === 0) fail(`${keyword} requires at least one argument`);
  if (!words[0].includes('=')) {
    // Legacy form: NAME value with spaces.
    const m = /^(\S+)\s+([\s\S]*)$/.exec(rest.trim());
    if (!m || m[2].trim() === '') fail(`${keyword} must have two arguments`);
    return [[m![1], m![2].trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) fail(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    if (eq === 0) fail(`${keyword} names can not be blank`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

function healthcheck(raw: RawInstruction, flags: Flags, fail: (m: string) => never): HealthcheckCommand {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(raw.rest.trim());
  const type = m ? m[1].toUpperCase() : '';
  if (type === 'NONE') {
    if (m![2].trim() !== '') fail('HEALTHCHECK NONE takes no arguments');
    return { kind: 'HEALTHCHECK', raw, test: ['NONE'] };
  }
  if (type !== 'CMD') fail(`Unknown type "${m ? m[1] : ''}" in HEALTHCHECK (try CMD)`);
  const cmdText = m![2].trim();
  const json = cmdText.startsWith('[') ? tryJson(cmdText) : undefined;
  const test = json ? ['CMD', ...json] : ['CMD-SHELL', cmdText];
  if (!json && cmdText === '') fail('Missing command after HEALTHCHECK CMD');
  const dur = (name: string): number | undefined => {
    const v = flags.get(name);
    if (v === undefined || v === '') return undefined;
    const ns = parseGoDuration(v);
    if (ns === undefined) fail(`time: invalid duration "${v}"`);
    if (ns! < 1_000_000 && ns !== 0) fail(`Interval "${name}" cannot be less than 1ms`);
    return ns;
  };
  const retriesText = flags.get('retries');
  let retries: number | undefined;
  if (retriesText !== undefined && retriesText !== '') {
    retries = Number(retriesText);
    if (!Number.isInteger(retries)) fail(`strconv.ParseInt: parsing "${retriesText}": invalid syntax`);
    if (retries < 0) fail('--retries cannot be negative');
  }
  return {
    kind: 'HEALTHCHECK', raw, test, interval: dur('interval'), timeout: dur('timeout'),
    startPeriod: dur('start-period'), startInterval: dur('start-interval'), retries,
  };
}

function tryJson(text: string): string[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v as string[] : undefined;
  } catch { return undefined; }
}

const UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, in nanoseconds. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNITS[m[2]];
    pos = re.lastIndex;
  }
  return pos === text.length && pos > 0 ? Math.round(total) : undefined;
}
