// POST /containers/create?name=&platform=: Docker's body is the container Config
// with HostConfig (and NetworkingConfig) embedded.
import type { RequestContext } from '../context';
import type { ContainerConfig, HostConfig } from '../../container/types';
import { InvalidArgumentError } from '../../errors';
import { queryString, readJsonObject, sendJson } from '../http-util';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function createContainer(ctx: RequestContext): Promise<void> {
  const body = await readJsonObject(ctx.req);
  if (body === undefined) throw new InvalidArgumentError('invalid JSON: got EOF while reading request body');
  const { HostConfig: hostConfig, NetworkingConfig: networkingConfig, ...config } = body;
  if (hostConfig !== undefined && hostConfig !== null && !isObject(hostConfig)) {
    throw new InvalidArgumentError('invalid JSON: HostConfig must be an object');
  }
  if (networkingConfig !== undefined && networkingConfig !== null && !isObject(networkingConfig)) {
    throw new InvalidArgumentError('invalid JSON: NetworkingConfig must be an object');
  }
  const image = config.Image;
  if (image === undefined || image === null || image === '') {
    throw new InvalidArgumentError('No image was specified');
  }
  if (typeof image !== 'string') throw new InvalidArgumentError('invalid JSON: Image must be a string');
  const result = await ctx.backend.containers.create({
    name: queryString(ctx.query, 'name'),
    platform: queryString(ctx.query, 'platform'),
    config: config as Partial<ContainerConfig> & { Image: string },
    hostConfig: (hostConfig ?? undefined) as Partial<HostConfig> | undefined,
  });
  sendJson(ctx.res, 201, { Id: result.container.id, Warnings: result.warnings ?? [] });
}
