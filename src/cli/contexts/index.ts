// Row contexts (Docker's formatter contexts) for ps, images, history and system df.
export * from './container';
export * from './image';
export * from './disk-usage';
export * from './stats';
