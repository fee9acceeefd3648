// berthd entry point: flags, pid file, engine start-up, API listeners, signals.
import * as fs from 'node:fs';
import { parseArgs, usage } from './flags';
import { acquirePidfile, releasePidfile } from './pidfile';
import { berthVersion, collectSystemInfo, gitCommit, lookPath } from './host-info';
import { openEngine, type Engine } from './engine';
import { startApiServer, parseHost, type ApiServer } from '../api';
import { errorMessage, InvalidArgumentError } from '../errors';
import { log, setLogLevel } from '../util/logger';

export interface RunningDaemon {
  engine: Engine;
  api: ApiServer;
  /** Graceful stop: listeners, watchers, DB, pid file. Containers keep running. */
  shutdown(): Promise<void>;
}

function installCrashLogging(): void {
  // A dead log reader must not turn every log line into a new uncaught error.
  process.stderr.on('error', () => undefined);
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled promise rejection', { error: errorMessage(reason), stack: reason instanceof Error ? reason.stack : undefined });
  });
  process.on('uncaughtException', (err) => {
    log.error('uncaught exception', { error: errorMessage(err), stack: err.stack });
  });
}

/** Bad flags are a usage error: say so on stderr like dockerd and exit 125 before touching anything. */
export class UsageError extends Error {}

export async function startDaemon(argv: string[]): Promise<RunningDaemon | undefined> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
    for (const host of parsed.config.hosts) parseHost(host);
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const { config, help, version } = parsed;
  if (help) {
    process.stdout.write(usage());
    return undefined;
  }
  if (version) {
    process.stdout.write(`Berth version ${berthVersion()}, build ${await gitCommit()}\n`);
    return undefined;
  }
  setLogLevel(config.logLevel);
  const runtimePath = config.runtime.includes('/') ? config.runtime : lookPath(config.runtime);
  if (!runtimePath) throw new InvalidArgumentError(`runtime ${JSON.stringify(config.runtime)} not found in PATH`);
  fs.mkdirSync(config.dataRoot, { recursive: true, mode: 0o711 });
  fs.mkdirSync(config.execRoot, { recursive: true, mode: 0o700 });
  acquirePidfile(config.pidfile);
  let engine: Engine | undefined;
  try {
    log.info('Starting up', { version: berthVersion(), dataRoot: config.dataRoot, execRoot: config.execRoot });
    engine = await openEngine(config, runtimePath);
    const system = await collectSystemInfo(config, runtimePath);
    const api = await startApiServer({ ...engine, system }, config.hosts);
    log.info('Daemon has completed initialization');
    let stopping: Promise<void> | undefined;
    const started = engine;
    const shutdown = () => (stopping ??= (async () => {
      await api.close();
      await started.close();
      releasePidfile(config.pidfile);
    })());
    return { engine, api, shutdown };
  } catch (err) {
    if (engine) await engine.close();
    releasePidfile(config.pidfile);
    throw err;
  }
}

/** bin/berthd calls this with process.argv.slice(2). */
export function main(argv: string[]): void {
  installCrashLogging();
  startDaemon(argv).then((daemon) => {
    if (!daemon) return;
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        log.warn(`Forcing shutdown on second ${signal}`);
        process.exit(1);
      }
      log.info(`Processing signal '${signal}'`);
      daemon.shutdown().then(
        () => { log.info('Daemon shutdown complete'); process.exit(0); },
        (err) => { log.error('shutdown failed', { error: errorMessage(err) }); process.exit(1); },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('SIGHUP', () => log.info('SIGHUP received: configuration reload is not supported; ignoring'));
  }, (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`berthd: ${err.message}\nSee 'berthd --help'.\n`);
      process.exit(125);
    }
    log.error(`failed to start daemon: ${errorMessage(err)}`);
    if (err instanceof Error && err.stack && !(err instanceof InvalidArgumentError)) log.debug(err.stack);
    process.exit(1);
  });
}
