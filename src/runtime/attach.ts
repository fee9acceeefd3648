// conmon's attach socket and control fifo. The attach socket is SOCK_SEQPACKET: every
// packet from conmon is one tag byte (2 stdout, 3 stderr) and the bytes read from the
// process; bytes sent to it are the process's stdin; a half-close ends stdin.
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { connectSeqpacketSocket, type SeqpacketSocket } from '../native';

export type AttachSocket = SeqpacketSocket;

export interface AttachChunk { stream: 'stdout' | 'stderr'; data: Buffer }

const STDOUT_TAG = 2;
const STDERR_TAG = 3;

/** Connects to the attach socket conmon created in `dir` (a bundle or exec dir). */
export function connectAttach(dir: string): AttachSocket {
  return connectSeqpacketSocket(path.join(dir, 'attach'));
}

/** One packet → its stream and bytes; undefined for packets conmon never sends. */
export function decodeAttachPacket(packet: Buffer): AttachChunk | undefined {
  if (packet.length < 2) return undefined;
  const tag = packet[0];
  if (tag !== STDOUT_TAG && tag !== STDERR_TAG) return undefined;
  return { stream: tag === STDOUT_TAG ? 'stdout' : 'stderr', data: packet.subarray(1) };
}

/**
 * Resizes the terminal conmon holds for `dir` (message type 1 on its ctl fifo).
 * Returns false when nobody reads the fifo (conmon gone).
 */
export function resizeTerminal(dir: string, height: number, width: number): boolean {
  return writeCtl(dir, `1 ${height} ${width}\n`);
}

/** Asks conmon to reopen its log file (message type 2), after the file was rotated. */
export function reopenLog(dir: string): boolean {
  return writeCtl(dir, '2 0 0\n');
}

function writeCtl(dir: string, message: string): boolean {
  let fd: number;
  try {
    fd = openSync(path.join(dir, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENXIO' || code === 'ENOENT') return false;
    throw err;
  }
  try {
    writeSync(fd, message);
    return true;
  } finally {
    closeSync(fd);
  }
}
