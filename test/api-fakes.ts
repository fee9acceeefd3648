// In-memory fakes of the engine services, enough to drive the API adapter in tests.
import { Readable, PassThrough } from 'node:stream';
import type {
  AttachOptions, AttachSession, Container, ContainerService, CreateContainerRequest, ExecAttachment, ExecCreateRequest, ExecInspect, ExecService,
  LogRecord, WaitCondition, ContainerListOptions,
} from '../src/container/types';
import type { Image, ImageService, ImageDeleteItem, ImageHistoryItem } from '../src/image/types';
import type { LayerStore, RootfsStore } from '../src/snapshot/types';
import { ConflictError, NotFoundError, NotModifiedError, InvalidArgumentError, NotImplementedError } from '../src/errors';
import { EventBus } from '../src/events';
import type { ApiBackend, SystemInfo } from '../src/api';
import { newId } from '../src/util/ids';
import { zeroStats, type ContainerStats, type TopResult } from '../src/container/stats';
import type { ContainerUpdateRequest } from '../src/container/update';

const ZERO = '0001-01-01T00:00:00Z';

export function fakeImage(tag = 'busybox:latest'): Image {
  return {
    id: 'sha256:' + 'a'.repeat(64),
    config: {
      architecture: 'amd64', os: 'linux', created: '2024-01-02T03:04:05.123456789Z',
      config: { Cmd: ['sh'], Env: ['PATH=/bin'] },
      rootfs: { type: 'layers', diff_ids: ['sha256:' + 'b'.repeat(64)] },
    },
    layers: [{ digest: 'sha256:' + 'b'.repeat(64), mediaType: 'application/vnd.oci.image.layer.v1.tar', size: 10, diffId: 'sha256:' + 'b'.repeat(64) }],
    chainId: 'sha256:' + 'b'.repeat(64),
    repoTags: [tag],
    repoDigests: [],
    size: 1234,
    createdAt: '2024-01-02T03:04:05Z',
  };
}

export class FakeImages implements ImageService {
  images: Image[] = [fakeImage()];
  imported: Array<{ bytes: number; reference?: string; changes?: string[] }> = [];
  get(ref: string): Image {
    const img = this.find(ref);
    if (!img) throw new NotFoundError(`No such image: ${ref}`);
    return img;
  }
  find(ref: string): Image | undefined {
    const full = ref.includes(':') || ref.startsWith('sha256') ? ref : `${ref}:latest`;
    return this.images.find((i) => i.id === ref || i.repoTags.includes(full) || i.id.slice(7).startsWith(ref));
  }
  list(): Image[] { return this.images; }
  async importTar(source: Readable, options: { reference?: string; changes?: string[] }): Promise<Image> {
    let bytes = 0;
    for await (const chunk of source) bytes += (chunk as Buffer).length;
    if (bytes === 0) throw new InvalidArgumentError('empty tar');
    this.imported.push({ bytes, reference: options.reference, changes: options.changes });
    return fakeImage(options.reference ?? 'x:latest');
  }
  async commit(): Promise<Image> {
    throw new NotImplementedError('commit is not faked');
  }

  async load(source: Readable): Promise<{ images: Image[]; messages: string[] }> {
    for await (const chunk of source) void chunk;
    return { images: [fakeImage()], messages: ['Loaded image: busybox:latest'] };
  }
  layerBlob(): Readable { throw new Error('not in the fake'); }
  save(refs: string[]): Readable { return Readable.from([Buffer.from(`tar of ${refs.join(',')}`)]); }
  async tag(source: string): Promise<void> { this.get(source); }
  async remove(ref: string): Promise<ImageDeleteItem[]> { const img = this.get(ref); return [{ Untagged: ref }, { Deleted: img.id }]; }
  history(ref: string): ImageHistoryItem[] { return [{ Id: this.get(ref).id, Created: 1, CreatedBy: 'import', Tags: null, Size: 1, Comment: '' }]; }
  async prune(): Promise<{ deleted: ImageDeleteItem[]; spaceReclaimed: number }> { return { deleted: [], spaceReclaimed: 0 }; }
  setUsageChecker(): void { /* unused */ }
  async repair(): Promise<void> { /* nothing */ }
}

export class FakeContainers implements ContainerService {
  items: Container[] = [];
  records: LogRecord[] = [{ stream: 'stdout', time: '2024-01-02T03:04:05.5+01:00', data: Buffer.from('out\n') }, { stream: 'stderr', time: '2024-01-02T03:04:06Z', data: Buffer.from('err\n') }];
  live = new Set<PassThrough>();
  waiters: Array<(code: number) => void> = [];
  constructor(private readonly events: EventBus) {}
  async create(request: CreateContainerRequest): Promise<{ container: Container; warnings: string[] }> {
    const id = newId();
    const c: Container = {
      id, name: request.name ?? 'c' + id.slice(0, 5), created: new Date().toISOString(), path: 'sh', args: ['-c', 'echo hi there'],
      config: { Hostname: id.slice(0, 12), Domainname: '', User: '', AttachStdin: false, AttachStdout: true, AttachStderr: true, Tty: false, OpenStdin: false, StdinOnce: false, Env: [], Cmd: ['sh'], WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: {}, ...request.config },
      hostConfig: { NetworkMode: 'none', ...(request.hostConfig ?? {}) } as Container['hostConfig'],
      imageId: 'sha256:' + 'a'.repeat(64),
      state: { Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 0, Error: '', StartedAt: ZERO, FinishedAt: ZERO },
      restartCount: 0, logPath: '/x/log', resolvConfPath: '/x/resolv.conf', hostnamePath: '/x/hostname', hostsPath: '/x/hosts', manuallyStopped: false,
    };
    this.items.push(c);
    this.events.publish('container', 'create', id, { name: c.name, image: c.config.Image });
    return { container: c, warnings: [] };
  }
  get(idOrName: string): Container {
    const key = idOrName.replace(/^\//, '');
    const c = this.items.find((x) => x.id === key || x.name === key || x.id.startsWith(key));
    if (!c) throw new NotFoundError(`No such container: ${idOrName}`);
    return c;
  }
  list(options?: ContainerListOptions): Container[] { return options?.all ? this.items : this.items.filter((c) => c.state.Running); }
  async start(idOrName: string): Promise<void> {
    const c = this.get(idOrName);
    if (c.state.Running) throw new NotModifiedError();
    c.state = { ...c.state, Status: 'running', Running: true, Pid: 4242, StartedAt: new Date().toISOString() };
    this.events.publish('container', 'start', c.id, { name: c.name, image: c.config.Image });
  }
  /** Test hook: make a running container exit. */
  exit(idOrName: string, code: number): void {
    const c = this.get(idOrName);
    c.state = { ...c.state, Status: 'exited', Running: false, Pid: 0, ExitCode: code, FinishedAt: new Date().toISOString() };
    for (const s of this.live) s.end();
    for (const w of this.waiters.splice(0)) w(code);
  }
  async stop(idOrName: string): Promise<void> { const c = this.get(idOrName); if (!c.state.Running) throw new NotModifiedError(); this.exit(idOrName, 143); }
  async kill(idOrName: string): Promise<void> { const c = this.get(idOrName); if (!c.state.Running) throw new ConflictError(`Container ${c.id} is not running`); this.exit(idOrName, 137); }
  async pause(idOrName: string): Promise<void> { this.get(idOrName).state.Paused = true; }
  async unpause(idOrName: string): Promise<void> { this.get(idOrName).state.Paused = false; }
  async restart(idOrName: string): Promise<void> { this.get(idOrName); }
  wait(idOrName: string, condition: WaitCondition = 'not-running', signal?: AbortSignal): Promise<{ StatusCode: number }> {
    const c = this.get(idOrName);
    if (condition === 'not-running' && !c.state.Running) return Promise.resolve({ StatusCode: c.state.ExitCode });
    return new Promise((resolve, reject) => {
      this.waiters.push((code) => resolve({ StatusCode: code }));
      signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }
  async remove(idOrName: string, options?: { force?: boolean }): Promise<void> {
    const c = this.get(idOrName);
    if (c.state.Running && !options?.force) throw new ConflictError(`cannot remove container "/${c.name}": container is running: stop the container before removing or force remove`);
    this.items = this.items.filter((x) => x !== c);
  }
  async rename(idOrName: string, newName: string): Promise<void> { this.get(idOrName).name = newName; }
  stats(idOrName: string): AsyncIterable<ContainerStats> {
    const c = this.get(idOrName);
    return (async function* one() { yield zeroStats(c); })();
  }
  async top(idOrName: string): Promise<TopResult> {
    const c = this.get(idOrName);
    if (!c.state.Running) throw new ConflictError(`Container ${c.id} is not running`);
    return { Titles: ['PID', 'CMD'], Processes: [['1', 'sh']] };
  }
  async update(idOrName: string, request: ContainerUpdateRequest): Promise<{ warnings: string[] }> {
    const c = this.get(idOrName);
    if (request.Memory) c.hostConfig.Memory = request.Memory;
    return { warnings: [] };
  }
  async prune(): Promise<{ deleted: string[]; spaceReclaimed: number }> { return { deleted: [], spaceReclaimed: 0 }; }
  logs(idOrName: string): Readable { this.get(idOrName); return Readable.from(this.records); }
  /** What attached clients sent as stdin, and whether they ended it. */
  stdinReceived: Buffer[] = [];
  stdinEnded = false;
  resized: Array<[number, number]> = [];
  readonly exec = new FakeExecs(this);
  async attach(idOrName: string, options: AttachOptions): Promise<AttachSession> {
    this.get(idOrName);
    const output = new PassThrough({ objectMode: true });
    this.live.add(output);
    output.on('close', () => this.live.delete(output));
    let stdin: PassThrough | undefined;
    if (options.stdin) {
      stdin = new PassThrough();
      stdin.on('data', (d: Buffer) => this.stdinReceived.push(d));
      stdin.on('end', () => { this.stdinEnded = true; });
    }
    return { output, stdin, detached: false, close: () => { output.destroy(); } };
  }
  resize(idOrName: string, height: number, width: number): void {
    const c = this.get(idOrName);
    if (!c.state.Running) throw new ConflictError(`Container ${c.id} is not running`);
    this.resized.push([height, width]);
  }
  /** Test hook: emit live output to attached clients. */
  emit(record: LogRecord): void { for (const s of this.live) s.write(record); }
  async sizes(): Promise<{ sizeRw: number; sizeRootFs: number }> { return { sizeRw: 5, sizeRootFs: 1239 }; }
  usingImage(): Container[] { return []; }
  async recover(): Promise<void> { /* nothing */ }
  async close(): Promise<void> { /* nothing */ }
}

export const fakeLayers = {
  lowerDirs: () => ['/layers/top', '/layers/base'],
  get: (chainId: string) => ({ chainId, diffId: chainId, parent: null, size: 100 }),
} as unknown as LayerStore;

export const fakeRootfs = {
  upperDir: (id: string) => `/containers/${id}/upper`,
  rootfsPath: (id: string) => `/containers/${id}/rootfs`,
} as unknown as RootfsStore;

export const fakeSystem: SystemInfo = {
  version: '0.1.0', gitCommit: 'abc1234', buildTime: '2024-01-01T00:00:00Z', startedAt: '2024-01-01T00:00:00Z',
  id: 'test-id', name: 'host', dataRoot: '/var/lib/berth', execRoot: '/run/berth', debug: false,
  kernelVersion: '6.1.0', operatingSystem: 'Debian GNU/Linux 12 (bookworm)', osVersion: '12', architecture: 'x86_64', goArch: 'amd64',
  ncpu: 2, memTotal: 1 << 30, cgroupVersion: '1', cgroupDriver: 'cgroupfs',
  cgroup: { memoryLimit: true, swapLimit: true, cpuCfsPeriod: true, cpuCfsQuota: true, cpuShares: true, cpuSet: true, pidsLimit: true, oomKillDisable: true },
  runtime: { name: 'runc', path: '/usr/sbin/runc', version: '1.1.5', commit: 'v1.1.5' },
  conmonVersion: '2.1.6', initBinary: '', loggingDriver: 'k8s-file', securityOptions: [], warnings: [],
};

export function fakeBackend(): ApiBackend & { containers: FakeContainers; images: FakeImages } {
  const events = new EventBus();
  const containerFs = {} as ApiBackend['containerFs']; // fs operations are tested end to end
  const builder = {} as ApiBackend['builder']; // builds are tested end to end
  return { events, containers: new FakeContainers(events), containerFs, builder, images: new FakeImages(), layers: fakeLayers, rootfs: fakeRootfs, system: fakeSystem };
}

/** Execs that echo their command line on stdout and exit 0 (or 126 for "/missing"). */
export class FakeExecs implements ExecService {
  items = new Map<string, { containerId: string; req: ExecCreateRequest; exitCode: number | null; running: boolean }>();
  constructor(private readonly containers: FakeContainers) {}
  create(containerIdOrName: string, req: ExecCreateRequest): string {
    const c = this.containers.get(containerIdOrName);
    if (!c.state.Running) throw new ConflictError(`Container ${c.id} is not running`);
    if (!req.Cmd || req.Cmd.length === 0) throw new InvalidArgumentError('No exec command specified');
    const id = newId();
    this.items.set(id, { containerId: c.id, req, exitCode: null, running: false });
    return id;
  }
  private find(id: string) {
    const e = this.items.get(id);
    if (!e) throw new NotFoundError(`No such exec instance: ${id}`);
    return e;
  }
  inspect(id: string): ExecInspect {
    const e = this.find(id);
    const cmd = e.req.Cmd ?? [];
    return {
      CanRemove: false, ContainerID: e.containerId, DetachKeys: '', ExitCode: e.exitCode, ID: id, OpenStderr: !!e.req.AttachStderr,
      OpenStdin: !!e.req.AttachStdin, OpenStdout: !!e.req.AttachStdout,
      ProcessConfig: { arguments: cmd.slice(1), entrypoint: cmd[0], privileged: false, tty: !!e.req.Tty, user: e.req.User ?? '' }, Running: e.running, Pid: 0,
    };
  }
  async startDetached(id: string): Promise<void> { const e = this.find(id); e.exitCode = 0; }
  async startAttached(id: string): Promise<ExecAttachment> {
    const e = this.find(id);
    if (e.exitCode !== null) throw new ConflictError(`Exec command ${id} has already run`);
    const cmd = e.req.Cmd ?? [];
    if (cmd[0] === '/missing') { e.exitCode = 126; throw new Error('OCI runtime exec failed: exec: "/missing": no such file'); }
    const output = Readable.from([{ stream: 'stdout', time: '', data: Buffer.from(cmd.join(' ') + '\n') }]);
    e.exitCode = 0;
    return { tty: !!e.req.Tty, output, stdin: undefined, done: Promise.resolve(0), close: () => output.destroy() };
  }
  resize(id: string): void { this.find(id); }
  idsOf(containerId: string): string[] { return [...this.items].filter(([, e]) => e.containerId === containerId).map(([id]) => id); }
}
