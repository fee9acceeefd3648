// Container creation: resolve the image, merge configs, reserve the name, write the
// container's files and rootfs, then insert the row (a crash before the insert leaves
// only dirs, which recover() removes).
import { mkdirSync, rmSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { NotFoundError } from '../errors';
import { maskedPaths, nowRfc3339Nano, READONLY_PATHS, ZERO_TIME } from '../runtime';
import { newId } from '../util/ids';
import { buildConfig, buildHostConfig, entrypointAndArgs } from './config-merge';
import { containerDir, publish, type ServiceContext } from './context';
import { writeEtcFiles } from './etc-files';
import { DEFAULT_LOG_CONFIG, mergeLogConfig } from './log-config';
import { generateName, validateName } from './names';
import type { Container, CreateContainerRequest } from './types';
import { validateConfig, validateHostConfig } from './validate';

const CGROUP_V2_ONLY = existsSync('/sys/fs/cgroup/cgroup.controllers');

function checkPlatform(request: CreateContainerRequest, os: string, arch: string, ref: string): void {
  if (!request.platform) return;
  const [wantOs, wantArch] = request.platform.split('/');
  if ((wantOs && wantOs !== os) || (wantArch && wantArch !== arch)) {
    throw new NotFoundError(`image with reference ${ref} was found but does not match the specified platform: wanted ${request.platform}, actual: ${os}/${arch}`);
  }
}

function reserveName(ctx: ServiceContext, requested: string | undefined, id: string): string {
  if (requested) {
    const name = validateName(requested);
    ctx.repo.reserveName(name, id);
    return name;
  }
  for (let attempt = 0; attempt < 6; attempt++) {
    const name = generateName(attempt);
    if (!ctx.repo.nameTaken(name)) { ctx.repo.reserveName(name, id); return name; }
  }
  const name = id.slice(0, 12);
  ctx.repo.reserveName(name, id);
  return name;
}

export async function createContainer(ctx: ServiceContext, request: CreateContainerRequest): Promise<{ container: Container; warnings: string[] }> {
  const image = ctx.images.get(request.config.Image);
  checkPlatform(request, image.config.os, image.config.architecture, request.config.Image);
  const id = newId();
  const hostConfig = buildHostConfig(request.hostConfig, CGROUP_V2_ONLY ? 'private' : 'host');
  const warnings = validateHostConfig(hostConfig);
  hostConfig.LogConfig = mergeLogConfig(request.hostConfig?.LogConfig ?? undefined, ctx.logDefaults ?? DEFAULT_LOG_CONFIG);
  if (!hostConfig.Privileged) {
    if (!Array.isArray(hostConfig.MaskedPaths)) hostConfig.MaskedPaths = maskedPaths();
    if (!Array.isArray(hostConfig.ReadonlyPaths)) hostConfig.ReadonlyPaths = [...READONLY_PATHS];
  }
  const config = buildConfig(request, image.config.config ?? {}, id, hostConfig);
  validateConfig(config);
  const { path: argv0, args } = entrypointAndArgs(config);

  const name = reserveName(ctx, request.name, id);
  const dir = containerDir(ctx, id);
  let rootfsCreated = false;
  try {
    mkdirSync(path.join(dir, 'bundle'), { recursive: true, mode: 0o700 });
    const container: Container = {
      id, name, created: nowRfc3339Nano(), path: argv0, args, config, hostConfig, imageId: image.id,
      state: {
        Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false,
        Pid: 0, ExitCode: 0, Error: '', StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME,
      },
      restartCount: 0,
      logPath: path.join(dir, 'container.log'),
      resolvConfPath: path.join(dir, 'resolv.conf'),
      hostnamePath: path.join(dir, 'hostname'),
      hostsPath: path.join(dir, 'hosts'),
      manuallyStopped: false,
    };
    writeEtcFiles({ hostname: container.hostnamePath, hosts: container.hostsPath, resolvConf: container.resolvConfPath }, config, hostConfig);
    await ctx.rootfs.create(id, image.chainId);
    rootfsCreated = true;
    ctx.repo.insert({ container, chainId: image.chainId, conmonPid: 0 });
    publish(ctx, 'create', container);
    return { container, warnings };
  } catch (err) {
    ctx.repo.releaseName(name, id);
    if (rootfsCreated) await ctx.rootfs.remove(id).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
