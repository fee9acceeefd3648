// What `berth registry serve|gc` and bin/berth-registry run: the registry is its own program
// (it does not talk to berthd), so these call the server and gc modules directly.
import { setLogLevel, log } from '../util/logger';
import type { FlagValues } from '../cli/flags';
import { parseDuration, serveOptions } from './flags';
import { collectGarbage } from './gc';
import { startRegistry } from './server';

/** Serve until SIGINT/SIGTERM; resolves with the exit code. */
export async function runServe(flags: FlagValues, out: (text: string) => void): Promise<number> {
  setLogLevel(flags.string('log-level'));
  const options = serveOptions(flags);
  const reg = await startRegistry(options);
  log.info('berth registry listening', { url: reg.url, root: options.root, auth: options.auth, read_only: options.readOnly });
  out(`listening on ${reg.url}\n`);
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      log.info('shutting down', { signal });
      reg.close().then(() => resolve(0), () => resolve(1));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export async function runGc(flags: FlagValues, out: (text: string) => void): Promise<number> {
  const result = await collectGarbage({
    root: flags.string('root'),
    gracePeriodMs: parseDuration(flags.string('grace-period')),
    uploadExpiryMs: parseDuration(flags.string('upload-expiry')),
    deleteUntagged: flags.bool('delete-untagged'),
    dryRun: flags.bool('dry-run'),
    report: (line) => out(`${line}\n`),
  });
  const verb = flags.bool('dry-run') ? 'would delete' : 'deleted';
  out(`${result.blobsMarked} blobs marked, ${verb} ${result.blobsDeleted} blobs (${result.bytesFreed} bytes) and ${result.manifestsDeleted} manifests, `
    + `kept ${result.blobsKeptYoung} unreferenced blobs younger than the grace period, ${result.uploadsRemoved} expired uploads\n`);
  return 0;
}
