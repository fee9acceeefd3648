export { CONTAINER_FLAGS, RUN_ONLY_FLAGS, sortFlags } from './flags';
export { buildCreatePlan, type CreatePlan } from './build';
export { createContainer } from './create';
