// Container lifecycle service (public surface).
import type { ContainerServiceDeps } from './context';
import { ContainerServiceImpl } from './service';
import type { ContainerService } from './types';

export type * from './types';
export type { ContainerServiceDeps } from './context';
export { parseSignal } from './signals';

export function createContainerService(deps: ContainerServiceDeps): ContainerService {
  return new ContainerServiceImpl(deps);
}
