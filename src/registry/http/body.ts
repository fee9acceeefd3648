// Reading small request bodies (manifests) with a hard size limit.
import type { IncomingMessage } from 'node:http';
import { RegistryError } from '../errors';

export async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = () => new RegistryError('SIZE_INVALID', { status: 413, message: `payload too large (limit ${limit} bytes)`, detail: { limit } });
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
