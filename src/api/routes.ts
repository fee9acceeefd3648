// The route table: every Engine API path Berth knows, in match order (literal
// paths before the "{name:.*}" catch-alls, as in moby's routers).
import type { Route } from './router';
import type { Handler } from './context';
import * as system from './handlers/system';
import { systemDf } from './handlers/system-df';
import { events } from './handlers/events';
import { inspectContainer, listContainers } from './handlers/containers-read';
import { createContainer } from './handlers/containers-create';
import * as life from './handlers/containers-lifecycle';
import { waitContainer } from './handlers/containers-wait';
import { containerLogs } from './handlers/containers-logs';
import { attachContainer, attachWebsocket } from './handlers/containers-attach';
import * as exec from './handlers/containers-exec';
import { resizeContainer } from './handlers/containers-resize';
import { imageHistory, inspectImage, listImages } from './handlers/images-read';
import { pruneImages, removeImage, tagImage } from './handlers/images-write';
import { createImage, loadImages, saveImage, saveImages } from './handlers/images-transfer';
import * as un from './handlers/unsupported';
import * as cfs from './handlers/containers-fs';
import { commitContainer } from './handlers/commit';
import { build, pruneBuildCache } from './handlers/build';
import * as stats from './handlers/containers-stats';
import * as registry from './handlers/registry';

const r = (method: string, path: string, handler: Handler): Route => ({ method, path, handler });
const ni = un.notImplemented;

const systemRoutes: Route[] = [
  r('GET', '/_ping', system.ping),
  r('HEAD', '/_ping', system.ping),
  r('GET', '/version', system.version),
  r('GET', '/info', system.info),
  r('GET', '/events', events),
  r('GET', '/system/df', systemDf),
  r('POST', '/auth', registry.login),
  r('POST', '/session', ni('interactive sessions (/session)')),
  r('GET', '/distribution/{name:.*}/json', registry.inspectDistribution),
  r('POST', '/commit', commitContainer),
  r('POST', '/build', build),
  r('POST', '/build/prune', pruneBuildCache),
  r('POST', '/build/cancel', ni('build cancel')),
];

const containerRoutes: Route[] = [
  r('GET', '/containers/json', listContainers),
  r('POST', '/containers/create', createContainer),
  r('POST', '/containers/prune', life.pruneContainers),
  r('GET', '/containers/{name:.*}/json', inspectContainer),
  r('GET', '/containers/{name:.*}/logs', containerLogs),
  r('GET', '/containers/{name:.*}/attach/ws', attachWebsocket),
  r('POST', '/containers/{name:.*}/start', life.startContainer),
  r('POST', '/containers/{name:.*}/stop', life.stopContainer),
  r('POST', '/containers/{name:.*}/kill', life.killContainer),
  r('POST', '/containers/{name:.*}/pause', life.pauseContainer),
  r('POST', '/containers/{name:.*}/unpause', life.unpauseContainer),
  r('POST', '/containers/{name:.*}/restart', life.restartContainer),
  r('POST', '/containers/{name:.*}/rename', life.renameContainer),
  r('POST', '/containers/{name:.*}/wait', waitContainer),
  r('POST', '/containers/{name:.*}/attach', attachContainer),
  r('GET', '/containers/{name:.*}/changes', cfs.containerChanges),
  r('GET', '/containers/{name:.*}/export', cfs.exportContainer),
  r('GET', '/containers/{name:.*}/top', stats.containerTop),
  r('GET', '/containers/{name:.*}/stats', stats.containerStats),
  r('GET', '/containers/{name:.*}/archive', cfs.getArchive),
  r('HEAD', '/containers/{name:.*}/archive', cfs.headArchive),
  r('PUT', '/containers/{name:.*}/archive', cfs.putArchive),
  r('POST', '/containers/{name:.*}/resize', resizeContainer),
  r('POST', '/containers/{name:.*}/update', stats.updateContainer),
  r('POST', '/containers/{name:.*}/exec', exec.createExec),
  r('GET', '/containers/{name:.*}/checkpoints', ni('checkpoints')),
  r('POST', '/containers/{name:.*}/checkpoints', ni('checkpoints')),
  r('DELETE', '/containers/{name:.*}/checkpoints/{checkpoint}', ni('checkpoints')),
  r('DELETE', '/containers/{name:.*}', life.removeContainer),
  r('GET', '/exec/{id}/json', exec.inspectExec),
  r('POST', '/exec/{id}/start', exec.startExec),
  r('POST', '/exec/{id}/resize', exec.resizeExec),
];

const imageRoutes: Route[] = [
  r('GET', '/images/json', listImages),
  r('GET', '/images/search', ni('image search (registry client)')),
  r('GET', '/images/get', saveImages),
  r('GET', '/images/{name:.*}/get', saveImage),
  r('GET', '/images/{name:.*}/history', imageHistory),
  r('GET', '/images/{name:.*}/json', inspectImage),
  r('POST', '/images/create', createImage),
  r('POST', '/images/load', loadImages),
  r('POST', '/images/prune', pruneImages),
  r('POST', '/images/{name:.*}/tag', tagImage),
  r('POST', '/images/{name:.*}/push', registry.pushImage),
  r('DELETE', '/images/{name:.*}', removeImage),
];

const networkRoutes: Route[] = [
  r('GET', '/networks', un.listNetworks),
  r('POST', '/networks/create', ni('network create')),
  r('POST', '/networks/prune', un.pruneNetworks),
  r('GET', '/networks/{id:.*}', un.inspectNetwork),
  r('POST', '/networks/{id:.*}/connect', ni('network connect')),
  r('POST', '/networks/{id:.*}/disconnect', ni('network disconnect')),
  r('DELETE', '/networks/{id:.*}', un.removeNetwork),
];

const volumeRoutes: Route[] = [
  r('GET', '/volumes', un.listVolumes),
  r('POST', '/volumes/create', ni('volume create')),
  r('POST', '/volumes/prune', un.pruneVolumes),
  r('GET', '/volumes/{name:.*}', un.volumeNotFound),
  r('PUT', '/volumes/{name:.*}', un.volumeNotFound),
  r('DELETE', '/volumes/{name:.*}', un.volumeNotFound),
];

const pluginRoutes: Route[] = [
  r('GET', '/plugins', un.emptyList),
  r('GET', '/plugins/privileges', ni('plugin install')),
  r('POST', '/plugins/pull', ni('plugin install')),
  r('POST', '/plugins/create', ni('plugin create')),
  r('GET', '/plugins/{name:.*}/json', un.pluginNotFound),
  r('DELETE', '/plugins/{name:.*}', un.pluginNotFound),
  ...['enable', 'disable', 'push', 'upgrade', 'set'].map((verb) => r('POST', `/plugins/{name:.*}/${verb}`, un.pluginNotFound)),
];

/** Swarm-mode object APIs: a node outside a swarm answers 503 for all of them. */
function swarmRoutes(): Route[] {
  const out: Route[] = [
    r('GET', '/swarm', un.swarmUnavailable),
    r('POST', '/swarm/leave', un.notInSwarm),
    r('POST', '/swarm/unlock', un.notInSwarm),
  ];
  for (const p of ['/swarm/init', '/swarm/join', '/swarm/update']) out.push(r('POST', p, un.swarmUnavailable));
  out.push(r('GET', '/swarm/unlockkey', un.swarmUnavailable));
  for (const kind of ['nodes', 'services', 'tasks', 'secrets', 'configs']) {
    out.push(r('GET', `/${kind}`, un.swarmUnavailable));
    out.push(r('POST', `/${kind}/create`, un.swarmUnavailable));
    out.push(r('GET', `/${kind}/{id}/logs`, un.swarmUnavailable));
    out.push(r('GET', `/${kind}/{id}`, un.swarmUnavailable));
    out.push(r('POST', `/${kind}/{id}/update`, un.swarmUnavailable));
    out.push(r('DELETE', `/${kind}/{id}`, un.swarmUnavailable));
  }
  return out;
}

export function engineRoutes(): Route[] {
  return [...systemRoutes, ...containerRoutes, ...imageRoutes, ...networkRoutes, ...volumeRoutes, ...pluginRoutes, ...swarmRoutes()];
}
