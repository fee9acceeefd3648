// Binding the API to its -H addresses. Only unix sockets for now: a stale socket
// file (no daemon behind it) is removed, a live one refuses the start.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type * as http from 'node:http';
import { InvalidArgumentError, ConflictError } from '../errors';

export function parseHost(host: string): { kind: 'unix'; path: string } {
  const h = host.trim();
  if (h.startsWith('unix://')) {
    const p = h.slice('unix://'.length);
    if (!path.isAbsolute(p)) throw new InvalidArgumentError(`invalid unix socket path in host ${JSON.stringify(host)}: must be absolute`);
    return { kind: 'unix', path: p };
  }
  if (h.startsWith('/')) return { kind: 'unix', path: h };
  throw new InvalidArgumentError(`unsupported host ${JSON.stringify(host)}: only unix:///path sockets are supported`);
}

function socketAnswers(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = net.connect(file);
    conn.once('connect', () => { conn.destroy(); resolve(true); });
    conn.once('error', () => resolve(false));
  });
}

/** Listen on a unix socket path with mode 0660, replacing a stale socket file. */
export async function listenUnix(server: http.Server, file: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  let st: fs.Stats | undefined;
  try { st = await fs.promises.lstat(file); } catch { st = undefined; }
  if (st) {
    if (!st.isSocket()) throw new ConflictError(`${file} exists and is not a socket`);
    if (await socketAnswers(file)) throw new ConflictError(`another daemon is already listening on ${file}`);
    await fs.promises.rm(file, { force: true });
  }
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(file, () => {
      server.off('error', onError);
      resolve();
    });
  });
  await fs.promises.chmod(file, 0o660);
}
