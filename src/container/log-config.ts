// HostConfig.LogConfig: which drivers Berth has (json-file, local, none), their options
// with Docker's validation texts, the daemon's defaults merged in at create (moby
// mergeAndVerifyLogConfig), and what the rest of the engine needs from them: the
// rotation policy and the --details attributes.
import { ConflictError, InvalidArgumentError, NotImplementedError } from '../errors';
import type { Container } from './types';

export interface LogConfig { Type: string; Config: Record<string, string> }

export const DEFAULT_LOG_CONFIG: LogConfig = { Type: 'json-file', Config: {} };

/** Both file drivers write conmon's k8s-file format; "local" only differs in its defaults. */
export const LOG_DRIVERS = ['json-file', 'local', 'none'];

const ATTRIBUTE_OPTS = ['labels', 'labels-regex', 'env', 'env-regex', 'tag'];
const JSON_FILE_OPTS = new Set(['max-file', 'max-size', 'compress', ...ATTRIBUTE_OPTS]);
const LOCAL_OPTS = new Set(['max-file', 'max-size', 'compress']);
/** Docker's local driver: 20 MB files, 5 of them. */
const LOCAL_DEFAULTS = { maxSize: 20 * 1000 * 1000, maxFiles: 5 };

export interface RotationPolicy {
  maxSize: number; // bytes; the live file is rotated once it reaches this
  maxFiles: number; // container.log plus maxFiles-1 rotated files
}

function fail(message: string): never {
  throw new InvalidArgumentError(message);
}

/**
 * go-units FromHumanSize: decimal units ("10k" = 10000, "1.5MB", "2 GiB" is 2e9 too),
 * with its error texts.
 */
export function parseHumanSize(value: string): number {
  const sep = Math.max(...[...'0123456789. '].map((c) => value.lastIndexOf(c)));
  if (sep < 0) fail(`invalid size: '${value}'`);
  const num = value[sep] === ' ' ? value.slice(0, sep) : value.slice(0, sep + 1);
  let suffix = value.slice(sep + 1);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(num)) fail(`strconv.ParseFloat: parsing ${JSON.stringify(num)}: invalid syntax`);
  const size = Number(num);
  if (size < 0) fail(`invalid size: '${value}'`);
  if (suffix === '') return Math.trunc(size);
  const badSuffix = () => fail(`invalid suffix: '${suffix}'`);
  if (suffix.length > 3) badSuffix();
  suffix = suffix.toLowerCase();
  if (suffix[0] === 'b') return suffix.length > 1 ? badSuffix() : Math.trunc(size);
  const unit: number | undefined = ({ k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 } as Record<string, number>)[suffix[0]];
  if (unit === undefined) return badSuffix();
  if ((suffix.length === 2 && suffix[1] !== 'b') || (suffix.length === 3 && suffix.slice(1) !== 'ib')) badSuffix();
  return Math.trunc(size * unit);
}

/** Go's strconv.Atoi, with its error text. */
function atoi(value: string): number {
  if (!/^[+-]?\d+$/.test(value)) fail(`strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`);
  return Number.parseInt(value, 10);
}

/** Go's strconv.ParseBool. */
function parseBool(value: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return fail(`strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
}

/** Keys and driver name (create time, and daemon defaults): moby logger.ValidateLogOpts. */
export function validateLogOpts(type: string, opts: Record<string, string>): void {
  if (type === 'none') return;
  if (!LOG_DRIVERS.includes(type)) fail(`logger: no log driver named '${type}' is registered`);
  const mode = opts.mode ?? '';
  if (!['', 'blocking', 'non-blocking'].includes(mode)) fail(`logger: logging mode not supported: ${mode}`);
  if ('max-buffer-size' in opts && mode !== 'non-blocking') fail("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
  for (const key of Object.keys(opts)) {
    if (key === 'mode' || key === 'max-buffer-size') continue;
    if (type === 'json-file' && !JSON_FILE_OPTS.has(key)) fail(`unknown log opt '${key}' for json-file log driver`);
    if (type === 'local' && !LOCAL_OPTS.has(key)) fail(`unknown log opt '${key}' for log driver local`);
  }
  // Docker checks values when the driver is opened (container start); checking them here
  // too refuses a container that could never start, before anything is written.
  rotationPolicy({ Type: type, Config: opts });
  logAttributes({ Type: type, Config: opts }, { labels: {}, env: [] });
}

/** Request LogConfig merged with the daemon's defaults (only for the default driver), then validated. */
export function mergeLogConfig(requested: Partial<LogConfig> | undefined, defaults: LogConfig): LogConfig {
  const type = requested?.Type || defaults.Type;
  const config: Record<string, string> = { ...(requested?.Config ?? {}) };
  for (const [k, v] of Object.entries(config)) if (typeof v !== 'string') fail(`invalid JSON: log opt ${k} must be a string`);
  if (type === defaults.Type) for (const [k, v] of Object.entries(defaults.Config)) if (!(k in config)) config[k] = v;
  validateLogOpts(type, config);
  return { Type: type, Config: config };
}

/** Rotation for a file driver; undefined when the file grows without a limit. Throws Docker's texts for bad values. */
export function rotationPolicy(lc: LogConfig): RotationPolicy | undefined {
  if (lc.Type === 'none') return undefined;
  const local = lc.Type === 'local';
  const o = lc.Config;
  let maxSize = local ? LOCAL_DEFAULTS.maxSize : -1;
  if (o['max-size'] !== undefined) {
    maxSize = parseHumanSize(o['max-size']);
    if (!local && maxSize <= 0) fail('max-size must be a positive number');
    if (local && maxSize < 0) fail('max-size must not be negative');
  }
  let maxFiles = local ? LOCAL_DEFAULTS.maxFiles : 1;
  if (o['max-file'] !== undefined) {
    maxFiles = atoi(o['max-file']);
    if (!local && maxFiles < 1) fail('max-file cannot be less than 1');
    if (local && maxFiles < 0) fail('max-file must not be negative');
  }
  if (o.compress !== undefined) {
    const compress = parseBool(o.compress);
    if (compress && !local && (maxFiles === 1 || maxSize === -1)) fail('compress cannot be true when max-file is less than 2 or max-size is not set');
    if (compress && local && maxFiles <= 1) fail('compression cannot be enabled when max file count is 1');
    // Rotated files are kept uncompressed; the local driver's compression is its internal format.
    if (compress && !local) fail('compress is not supported by Berth: rotated log files are kept uncompressed');
  }
  if (maxSize <= 0) return undefined; // json-file without max-size (or local with 0): no limit
  return { maxSize, maxFiles: Math.max(1, maxFiles) };
}

/** Go's url.QueryEscape. */
function queryEscape(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function regex(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    return fail(`error parsing regexp: ${(err as Error).message}`);
  }
}

/**
 * The attributes `logs --details` shows (moby Info.ExtraAttributes plus tag): from the
 * labels/env/labels-regex/env-regex/tag options, sorted, as "k=v,k2=v2" (query-escaped).
 */
export function logAttributes(lc: LogConfig, c: { labels: Record<string, string>; env: string[]; tag?: () => string }): string {
  const o = lc.Config;
  const attrs = new Map<string, string>();
  if (o.labels) for (const l of o.labels.split(',')) if (l in c.labels) attrs.set(l, c.labels[l]);
  if (o['labels-regex']) {
    const re = regex(o['labels-regex']);
    for (const [k, v] of Object.entries(c.labels)) if (re.test(k)) attrs.set(k, v);
  }
  const env = new Map<string, string>();
  for (const e of c.env) {
    const eq = e.indexOf('=');
    if (eq > 0) env.set(e.slice(0, eq), e.slice(eq + 1));
  }
  if (o.env) for (const k of o.env.split(',')) if (env.has(k)) attrs.set(k, env.get(k) as string);
  if (o['env-regex']) {
    const re = regex(o['env-regex']);
    for (const [k, v] of env) if (re.test(k)) attrs.set(k, v);
  }
  if (o.tag && c.tag) attrs.set('tag', c.tag());
  return [...attrs.keys()].sort().map((k) => `${queryEscape(k)}=${queryEscape(attrs.get(k) as string)}`).join(',');
}

/** The tag option's template (moby loggerutils.ParseLogTag) with the fields Docker offers. */
export function expandLogTag(template: string, c: Container, imageName: string): string {
  const fields: Record<string, string> = {
    ID: c.id.slice(0, 12), FullID: c.id, Name: c.name,
    ImageID: c.imageId.replace(/^sha256:/, '').slice(0, 12), ImageFullID: c.imageId, ImageName: imageName, DaemonName: 'docker',
  };
  return template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (whole, field: string) => fields[field] ?? whole);
}

/** Attributes of a container's log records for `logs --details`. */
export function containerLogAttributes(c: Container): string {
  return logAttributes(c.hostConfig.LogConfig, {
    labels: c.config.Labels ?? {}, env: c.config.Env ?? [],
    tag: () => expandLogTag(c.hostConfig.LogConfig.Config.tag, c, c.config.Image),
  });
}

/** Docker's refusals before reading a container's log. */
export function checkLogsReadable(c: Container): void {
  if (c.state.Status === 'removing' || c.state.Dead) throw new ConflictError('can not get logs from container which is dead or marked for removal');
  if (c.hostConfig.LogConfig.Type === 'none') throw new NotImplementedError('configured logging driver does not support reading');
}
