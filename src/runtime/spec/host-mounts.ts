// HostConfig.Mounts entries of Type "bind" and "tmpfs" (Docker's mount.Mount:
// Type, Source, Target, ReadOnly, TmpfsOptions) as OCI mounts. Other types are
// left to the layers that own them (volumes).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../../errors';
import type { OciMount } from './types';

interface DockerMount {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export function hostConfigMounts(value: unknown): OciMount[] {
  if (!Array.isArray(value)) return [];
  const out: OciMount[] = [];
  for (const m of value as DockerMount[]) {
    if (m?.Type !== 'bind' && m?.Type !== 'tmpfs') continue;
    const target = m.Target ?? '';
    if (!target.startsWith('/')) throw new InvalidArgumentError(`invalid mount config for type "${m.Type}": invalid mount path: '${target}' mount path must be absolute`);
    if (m.Type === 'bind') {
      const source = m.Source ?? '';
      if (!path.isAbsolute(source)) throw new InvalidArgumentError(`invalid mount config for type "bind": invalid mount path: '${source}' mount path must be absolute`);
      if (!existsSync(source)) throw new InvalidArgumentError(`invalid mount config for type "bind": bind source path does not exist: ${source}`);
      out.push({ destination: path.posix.normalize(target), type: 'bind', source, options: ['rbind', 'rprivate', ...(m.ReadOnly ? ['ro'] : [])] });
    } else {
      const opts = ['nosuid', 'nodev'];
      if (m.TmpfsOptions?.SizeBytes) opts.push(`size=${m.TmpfsOptions.SizeBytes}`);
      if (m.TmpfsOptions?.Mode) opts.push(`mode=${m.TmpfsOptions.Mode.toString(8)}`);
      if (m.ReadOnly) opts.push('ro');
      out.push({ destination: path.posix.normalize(target), type: 'tmpfs', source: 'tmpfs', options: opts });
    }
  }
  // Parents before children, so a mount inside another lands on top of it.
  return out.sort((a, b) => a.destination.split('/').length - b.destination.split('/').length);
}
