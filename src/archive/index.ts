export { extractLayer, type ExtractResult } from './extract-layer';
export { maybeDecompress } from './decompress';
export { cleanEntryName } from './safe-path';
