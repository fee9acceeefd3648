// Minimal leveled logger for berthd (stderr, one line per record).
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 };

let threshold = ORDER.info;

export function setLogLevel(level: string): void {
  if (!(level in ORDER)) throw new Error(`invalid log level: ${level}`);
  threshold = ORDER[level as LogLevel];
}

function emit(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < threshold) return;
  const extra = fields ? ' ' + Object.entries(fields).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') : '';
  process.stderr.write(`time="${new Date().toISOString()}" level=${level} msg=${JSON.stringify(msg)}${extra}\n`);
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => emit('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => emit('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => emit('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => emit('error', msg, fields),
};
