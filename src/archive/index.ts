// Tar utilities: safe layer extraction (with overlay whiteout conversion and the
// diff ID computed on the way), layer tar creation from a directory, and the
// helpers other components share (decompression, entry-name cleaning, a reader).
export { extractLayer, extractTar, type ExtractResult, type ExtractOptions, type FileDigest } from './extract-layer';
export { maybeDecompress, InlineDecompressor } from './decompress';
export { cleanEntryName } from './safe-path';
export { TarReader } from './tar-reader';
export type { TarEntry, TarEntryType } from './tar-header';
export { createLayerTar, type CreateTarOptions } from './create-layer-tar';
