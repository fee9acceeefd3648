// Container filesystem operations (cp, export, diff, commit): public surface.
import { ContainerFsServiceImpl, type ContainerFsDeps } from './service';
import type { ContainerFsService } from './types';

export type * from './types';
export type { ContainerFsDeps } from './service';
export { SharedRootfsStore } from './shared-rootfs';

export function createContainerFsService(deps: ContainerFsDeps): ContainerFsService {
  return new ContainerFsServiceImpl(deps);
}
