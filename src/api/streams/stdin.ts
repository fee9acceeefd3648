// The client's half of a hijacked connection as the process's stdin.
import type * as net from 'node:net';
import type { Writable } from 'node:stream';

/**
 * Copies the client's bytes to `stdin` (with backpressure) and ends it on the client's
 * half-close; without stdin the bytes are drained so the peer never blocks.
 * Returns a function that stops the copy.
 */
export function connectStdin(socket: net.Socket, stdin: Writable | undefined): () => void {
  if (!stdin) {
    const drain = () => undefined;
    socket.on('data', drain);
    socket.resume();
    return () => { socket.off('data', drain); };
  }
  socket.pipe(stdin);
  stdin.on('error', () => socket.unpipe(stdin));
  return () => { socket.unpipe(stdin); };
}
