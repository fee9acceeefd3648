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
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
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
    let payload = record.data;
    if (options.details) payload = Buffer.concat([Buffer.from(`${record.attrs ?? ''} `), payload]);
    if (options.timestamps) payload = Buffer.concat([Buffer.from(toRfc3339NanoUtc(record.time) + ' '), payload]);
    if (options.tty) return payload;
    return frame(record.stream === 'stdout' ? STREAM_STDOUT : STREAM_STDERR, payload);
  };
}
