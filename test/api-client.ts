// Tiny HTTP-over-unix-socket client for the API tests.
import * as http from 'node:http';
import { before, after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApiServer, type ApiServer } from '../src/api';
import { fakeBackend } from './api-fakes';
import type * as net from 'node:net';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json<T = unknown>(): T;
}

export function request(socketPath: string, method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body.toString()) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Send a request and resolve as soon as the response headers arrive. */
export function requestHead(socketPath: string, method: string, path: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path }, resolve);
    req.on('error', reject);
    req.end();
  });
}

export function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('close', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** POST with `Upgrade: tcp`; resolves with the 101 response and the raw socket. */
export function upgrade(socketPath: string, path: string): Promise<{ res: http.IncomingMessage; socket: net.Socket; head: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method: 'POST', path, headers: { Connection: 'Upgrade', Upgrade: 'tcp' } });
    req.on('upgrade', (res, socket, head) => resolve({ res, socket, head }));
    req.on('response', (res) => reject(new Error(`expected 101, got ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Split a multiplexed stream into [stream id, text] frames. */
export function demux(buf: Buffer): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let off = 0;
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32BE(off + 4);
    out.push([buf[off], buf.subarray(off + 8, off + 8 + len).toString()]);
    off += 8 + len;
  }
  return out;
}

/** A real API server on a temp unix socket over fake services, for one test file (hooks registered here). */
export function serveFakeBackend(): { readonly sock: string; readonly backend: ReturnType<typeof fakeBackend> } {
  let dir = '';
  let server: ApiServer | undefined;
  const handle = { sock: '', backend: fakeBackend() };
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-api-'));
    handle.sock = path.join(dir, 'api.sock');
    server = await startApiServer(handle.backend, [`unix://${handle.sock}`]);
  });
  after(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  return handle;
}
