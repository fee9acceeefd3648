// Routes of features Berth does not have yet, answered the way a Docker daemon
// without that feature answers: swarm endpoints 503, empty plugin/volume lists,
// read-only predefined networks, and 501 with a clear text for everything else.
import type { Handler, RequestContext } from '../context';
import { ForbiddenError, NotFoundError, NotImplementedError, UnavailableError } from '../../errors';
import { discardBody, sendJson } from '../http-util';
import { PREDEFINED_NETWORKS, attachedNetwork, networkId, predefinedNetworkJson } from '../convert/network';

export const SWARM_MANAGER_MESSAGE =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
export const NOT_IN_SWARM_MESSAGE = 'This node is not part of a swarm';

export function swarmUnavailable(ctx: RequestContext): never {
  discardBody(ctx.req);
  throw new UnavailableError(SWARM_MANAGER_MESSAGE);
}

export function notInSwarm(ctx: RequestContext): never {
  discardBody(ctx.req);
  throw new UnavailableError(NOT_IN_SWARM_MESSAGE);
}

/** A handler answering 501 "<feature> is not implemented in Berth yet". */
export function notImplemented(feature: string): Handler {
  return (ctx) => {
    discardBody(ctx.req);
    throw new NotImplementedError(`${feature} is not implemented in Berth yet`);
  };
}

export function emptyList(ctx: RequestContext): void {
  sendJson(ctx.res, 200, []);
}

export function pluginNotFound(ctx: RequestContext): never {
  throw new NotFoundError(`plugin "${ctx.params.name}" not found`);
}

// --- volumes: none exist until the volume engine lands ---

export function listVolumes(ctx: RequestContext): void {
  sendJson(ctx.res, 200, { Volumes: [], Warnings: null });
}

export function volumeNotFound(ctx: RequestContext): never {
  throw new NotFoundError(`get ${ctx.params.name}: no such volume`);
}

export function pruneVolumes(ctx: RequestContext): void {
  sendJson(ctx.res, 200, { VolumesDeleted: null, SpaceReclaimed: 0 });
}

// --- networks: the predefined host and none networks, read-only ---

function findNetwork(ctx: RequestContext, idOrName: string): { name: string; driver: string } {
  const found = PREDEFINED_NETWORKS.find((n) => n.name === idOrName || (idOrName.length > 0 && networkId(n.name).startsWith(idOrName)));
  if (!found) throw new NotFoundError(`network ${idOrName} not found`);
  return found;
}

function networkJson(ctx: RequestContext, net: { name: string; driver: string }): Record<string, unknown> {
  const members = ctx.backend.containers.list({ all: false }).filter((c) => attachedNetwork(c) === net.name);
  return predefinedNetworkJson(net.name, net.driver, ctx.backend.system.startedAt, members);
}

export function listNetworks(ctx: RequestContext): void {
  sendJson(ctx.res, 200, PREDEFINED_NETWORKS.map((n) => networkJson(ctx, n)));
}

export function inspectNetwork(ctx: RequestContext): void {
  sendJson(ctx.res, 200, networkJson(ctx, findNetwork(ctx, ctx.params.id)));
}

export function removeNetwork(ctx: RequestContext): never {
  const net = findNetwork(ctx, ctx.params.id);
  throw new ForbiddenError(`${net.name} is a pre-defined network and cannot be removed`);
}

export function pruneNetworks(ctx: RequestContext): void {
  sendJson(ctx.res, 200, { NetworksDeleted: null });
}
