// The command table: every command path, lazily loaded (only the module of the
// command being run is required, which keeps `berth run` start-up short).
import type { CommandDef } from './command';

type Loader = () => Promise<CommandDef>;

export interface Entry {
  id: string;
  short: string;
  load?: Loader; // absent: a command of a later milestone
}

const L = {
  run: () => import('./commands/run').then((m) => m.run),
  exec: () => import('./commands/exec').then((m) => m.exec),
  attach: () => import('./commands/attach').then((m) => m.attach),
  create: () => import('./commands/create').then((m) => m.create),
  start: () => import('./commands/start').then((m) => m.start),
  stop: () => import('./commands/lifecycle').then((m) => m.stop),
  kill: () => import('./commands/lifecycle').then((m) => m.kill),
  restart: () => import('./commands/lifecycle').then((m) => m.restart),
  pause: () => import('./commands/lifecycle').then((m) => m.pause),
  unpause: () => import('./commands/lifecycle').then((m) => m.unpause),
  wait: () => import('./commands/wait').then((m) => m.wait),
  rm: () => import('./commands/rm').then((m) => m.rm),
  rename: () => import('./commands/rename').then((m) => m.rename),
  ps: () => import('./commands/ps').then((m) => m.ps),
  logs: () => import('./commands/logs').then((m) => m.logs),
  inspect: () => import('./commands/inspect').then((m) => m.inspect),
  containerInspect: () => import('./commands/inspect').then((m) => m.containerInspect),
  imageInspect: () => import('./commands/inspect').then((m) => m.imageInspect),
  events: () => import('./commands/events').then((m) => m.events),
  images: () => import('./commands/images').then((m) => m.images),
  rmi: () => import('./commands/rmi').then((m) => m.rmi),
  tag: () => import('./commands/tag').then((m) => m.tag),
  save: () => import('./commands/save').then((m) => m.save),
  load: () => import('./commands/load').then((m) => m.load),
  import: () => import('./commands/import').then((m) => m.importCmd),
  history: () => import('./commands/history').then((m) => m.history),
  containerPrune: () => import('./commands/prune').then((m) => m.containerPrune),
  imagePrune: () => import('./commands/prune').then((m) => m.imagePrune),
  df: () => import('./commands/df').then((m) => m.df),
  info: () => import('./commands/info').then((m) => m.info),
  version: () => import('./commands/version').then((m) => m.version),
  cp: () => import('./commands/cp').then((m) => m.cp),
  export: () => import('./commands/export').then((m) => m.exportCmd),
  diff: () => import('./commands/diff').then((m) => m.diff),
  commit: () => import('./commands/commit').then((m) => m.commit),
  registryServe: () => import('./commands/registry').then((m) => m.registryServe),
  registryGc: () => import('./commands/registry').then((m) => m.registryGc),
  build: () => import('./commands/build').then((m) => m.build),
  builderPrune: () => import('./commands/builder').then((m) => m.builderPrune),
  stats: () => import('./commands/stats').then((m) => m.stats),
  top: () => import('./commands/top').then((m) => m.top),
  update: () => import('./commands/update').then((m) => m.update),
  pull: () => import('./commands/pull').then((m) => m.pull),
  push: () => import('./commands/push').then((m) => m.push),
  login: () => import('./commands/login').then((m) => m.login),
  logout: () => import('./commands/login').then((m) => m.logout),
} satisfies Record<string, Loader>;

const e = (id: string, short: string, load?: Loader): Entry => ({ id, short, load });

const RUN = e('run', 'Create and run a new container from an image', L.run);
const CREATE = e('create', 'Create a new container', L.create);
const START = e('start', 'Start one or more stopped containers', L.start);
const STOP = e('stop', 'Stop one or more running containers', L.stop);
const KILL = e('kill', 'Kill one or more running containers', L.kill);
const RESTART = e('restart', 'Restart one or more containers', L.restart);
const PAUSE = e('pause', 'Pause all processes within one or more containers', L.pause);
const UNPAUSE = e('unpause', 'Unpause all processes within one or more containers', L.unpause);
const WAIT = e('wait', 'Block until one or more containers stop, then print their exit codes', L.wait);
const RM = e('rm', 'Remove one or more containers', L.rm);
const RENAME = e('rename', 'Rename a container', L.rename);
const PS = e('ps', 'List containers', L.ps);
const LOGS = e('logs', 'Fetch the logs of a container', L.logs);
const IMAGES = e('images', 'List images', L.images);
const RMI = e('rmi', 'Remove one or more images', L.rmi);
const TAG = e('tag', 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', L.tag);
const SAVE = e('save', 'Save one or more images to a tar archive (streamed to STDOUT by default)', L.save);
const LOAD = e('load', 'Load an image from a tar archive or STDIN', L.load);
const IMPORT = e('import', 'Import the contents from a tarball to create a filesystem image', L.import);
const HISTORY = e('history', 'Show the history of an image', L.history);
const EVENTS = e('events', 'Get real time events from the server', L.events);
const INFO = e('info', 'Display system-wide information', L.info);
const VERSION = e('version', 'Show the Berth version information', L.version);

const later = (id: string, short: string): Entry => e(id, short);

export const TOP_LEVEL: Record<string, Entry> = {
  run: RUN, exec: e('exec', 'Execute a command in a running container', L.exec), ps: PS,
  build: e('build', 'Build an image from a Dockerfile', L.build), pull: e('pull', 'Download an image from a registry', L.pull),
  push: e('push', 'Upload an image to a registry', L.push), images: IMAGES,
  login: e('login', 'Authenticate to a registry', L.login), logout: e('logout', 'Log out from a registry', L.logout),
  search: later('search', 'Search Docker Hub for images'), version: VERSION, info: INFO,
  attach: e('attach', 'Attach local standard input, output, and error streams to a running container', L.attach),
  commit: e('commit', "Create a new image from a container's changes", L.commit),
  cp: e('cp', 'Copy files/folders between a container and the local filesystem', L.cp),
  create: CREATE, diff: e('diff', "Inspect changes to files or directories on a container's filesystem", L.diff),
  events: EVENTS, export: e('export', "Export a container's filesystem as a tar archive", L.export),
  history: HISTORY, import: IMPORT,
  inspect: e('inspect', 'Return low-level information on Berth objects', L.inspect),
  kill: KILL, load: LOAD, logs: LOGS, pause: PAUSE,
  port: later('port', 'List port mappings or a specific mapping for the container'),
  rename: RENAME, restart: RESTART, rm: RM, rmi: RMI, save: SAVE, start: START,
  stats: e('stats', 'Display a live stream of container(s) resource usage statistics', L.stats),
  stop: STOP, tag: TAG, top: e('top', 'Display the running processes of a container', L.top),
  unpause: UNPAUSE, update: e('update', 'Update configuration of one or more containers', L.update), wait: WAIT,
};

export const COMMON = ['run', 'exec', 'ps', 'build', 'pull', 'push', 'images', 'login', 'logout', 'search', 'version', 'info'];

export interface Group { short: string; swarm?: boolean; subcommands?: Record<string, Entry> }

const containerGroup: Record<string, Entry> = {
  attach: TOP_LEVEL.attach, commit: TOP_LEVEL.commit, cp: TOP_LEVEL.cp, create: CREATE, diff: TOP_LEVEL.diff,
  exec: TOP_LEVEL.exec, export: TOP_LEVEL.export,
  inspect: e('container-inspect', 'Display detailed information on one or more containers', L.containerInspect),
  kill: KILL, logs: LOGS, ls: PS, list: PS, ps: PS, pause: PAUSE, port: TOP_LEVEL.port,
  prune: e('container-prune', 'Remove all stopped containers', L.containerPrune),
  rename: RENAME, restart: RESTART, rm: RM, remove: RM, run: RUN, start: START, stats: TOP_LEVEL.stats,
  stop: STOP, top: TOP_LEVEL.top, unpause: UNPAUSE, update: TOP_LEVEL.update, wait: WAIT,
};

const imageGroup: Record<string, Entry> = {
  build: TOP_LEVEL.build, history: HISTORY, import: IMPORT,
  inspect: e('image-inspect', 'Display detailed information on one or more images', L.imageInspect),
  load: LOAD, ls: IMAGES, list: IMAGES,
  prune: e('image-prune', 'Remove unused images', L.imagePrune),
  pull: TOP_LEVEL.pull, push: TOP_LEVEL.push, rm: RMI, remove: RMI, save: SAVE, tag: TAG,
};

const systemGroup: Record<string, Entry> = {
  df: e('df', 'Show berth disk usage', L.df),
  events: EVENTS, info: INFO,
  prune: later('system-prune', 'Remove unused data'),
};

const registryGroup: Record<string, Entry> = {
  serve: e('registry-serve', 'Run an OCI Distribution registry', L.registryServe),
  gc: e('registry-gc', 'Delete blobs no manifest references (safe while the registry runs)', L.registryGc),
};

export const GROUPS: Record<string, Group> = {
  builder: { short: 'Manage builds', subcommands: { build: TOP_LEVEL.build, prune: e('builder-prune', 'Remove build cache', L.builderPrune) } },
  checkpoint: { short: 'Manage checkpoints' },
  container: { short: 'Manage containers', subcommands: containerGroup },
  context: { short: 'Manage contexts' },
  image: { short: 'Manage images', subcommands: imageGroup },
  manifest: { short: 'Manage image manifests and manifest lists' },
  network: { short: 'Manage networks' },
  plugin: { short: 'Manage plugins' },
  registry: { short: 'Run an OCI registry', subcommands: registryGroup },
  system: { short: 'Manage Berth', subcommands: systemGroup },
  trust: { short: 'Manage trust on images' },
  volume: { short: 'Manage volumes' },
  compose: { short: 'Define and run multi-container applications' },
  config: { short: 'Manage Swarm configs', swarm: true },
  node: { short: 'Manage Swarm nodes', swarm: true },
  secret: { short: 'Manage Swarm secrets', swarm: true },
  service: { short: 'Manage Swarm services', swarm: true },
  stack: { short: 'Manage Swarm stacks', swarm: true },
  swarm: { short: 'Manage Swarm', swarm: true },
};

/** Every path of a command id, management forms first ("berth container ls, ..., berth ps"). */
export function aliasesOf(id: string, bin: string): string[] {
  const paths: string[] = [];
  for (const [g, group] of Object.entries(GROUPS)) {
    for (const [name, entry] of Object.entries(group.subcommands ?? {})) if (entry.id === id) paths.push(`${bin} ${g} ${name}`);
  }
  for (const [name, entry] of Object.entries(TOP_LEVEL)) if (entry.id === id) paths.push(`${bin} ${name}`);
  return paths;
}
