// dockerd's registry flags: --insecure-registry, --registry-mirror and the
// download/upload concurrency limits, validated as dockerd validates them.
import { InvalidArgumentError } from '../errors';
import { checkInsecureRegistry, normalizeMirror } from '../distribution';
import type { DaemonConfig } from './config';

type RegistryConfig = Pick<DaemonConfig, 'insecureRegistries' | 'registryMirrors' | 'maxConcurrentDownloads' | 'maxConcurrentUploads'>;

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError(`invalid argument "${value}" for "${flag}" flag: must be a positive integer`);
  return n;
}

export function registryFlags(lists: Record<string, string[]>, strings: Record<string, string>): RegistryConfig {
  const insecure = lists.insecureRegistries ?? [];
  for (const entry of insecure) checkInsecureRegistry(entry);
  return {
    insecureRegistries: insecure,
    registryMirrors: (lists.registryMirrors ?? []).map(normalizeMirror),
    maxConcurrentDownloads: positiveInt('--max-concurrent-downloads', strings.maxConcurrentDownloads, 3),
    maxConcurrentUploads: positiveInt('--max-concurrent-uploads', strings.maxConcurrentUploads, 5),
  };
}
