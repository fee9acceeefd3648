// Docker's stdio stream framing. Without a TTY every chunk carries an 8-byte header:
// stream id (0 stdin, 1 stdout, 2 stderr), three zero bytes, big-endian length.
// With a TTY the bytes go out raw.
import type { LogRecord } from '../../container/types';
import { versionAtLeast } from '../version';
import { toRfc3339NanoUtc } from '../time-util';

export const RAW_STREAM = 'application/vnd.docker.raw-stream';
export const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';

export const STREAM_STDOUT = 1;
export const STREAM_STDERR = 2;

/** Docker names the multiplexed type only from API 1.42 on. */
export function streamContentType(tty: boolean, version: string): string {
  return !tty && versionAtLeast(version, '1.42') ? MULTIPLEXED_STREAM : RAW_STREAM;
}

export function frame(stream: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(8 + payload.length);
  out.writeUInt32BE(stream << 24, 0); // stream id, then three zero bytes
  out.writeUInt32BE(payload.length, 4);
  payload.copy(out, 8);
  return out;
}

export interface RecordEncoderOptions {
  tty: boolean;
  timestamps?: boolean;
  details?: boolean; // prefix each record with its log attributes and a space (logs --details)
  stdout?: boolean;
  stderr?: boolean;
}

/**
 * Turns log records into wire bytes; returns undefined for records of a stream the
 * client did not ask for.
 */
export function recordEncoder(options: RecordEncoderOptions): (record: LogRecord) => Buffer | undefined {
  const wantStdout = options.stdout ?? true;
  const wantStderr = options.stderr ?? true;
  return (record) => {
    if (record.stream === 'stdout' ? !wantStdout : !wantStderr) return undefined;
    let prefix = '';
    if (options.timestamps) prefix = `${toRfc3339NanoUtc(record.time)} `;
    if (options.details) prefix += `${record.attrs ?? ''} `;
    if (options.tty) return prefix ? Buffer.concat([Buffer.from(prefix), record.data]) : record.data;
    // One allocation per record: header, prefix, data.
    const prefixLen = Buffer.byteLength(prefix);
    const out = Buffer.allocUnsafe(8 + prefixLen + record.data.length);
    out.writeUInt32BE((record.stream === 'stdout' ? STREAM_STDOUT : STREAM_STDERR) << 24, 0);
    out.writeUInt32BE(prefixLen + record.data.length, 4);
    if (prefixLen) out.write(prefix, 8);
    record.data.copy(out, 8 + prefixLen);
    return out;
  };
}
