// The cgroupsPath runc gets for a container: absolute, so runc places it at
// <hierarchy root>/<parent>/<id> in every hierarchy.
import * as path from 'node:path';

export function containerCgroupsPath(cgroupParent: string, id: string): string {
  return '/' + path.posix.join(cgroupParent.replace(/^\/+/, ''), id);
}
