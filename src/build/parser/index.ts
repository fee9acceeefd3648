// Dockerfile parser: text → raw instructions → typed commands; variable expansion.
export { parseDockerfile, DockerfileSyntaxError, KEYWORDS } from './dockerfile';
export { toCommands, toCommand, parseGoDuration } from './commands';
export type * from './commands';
export { expandWord, expandWords, expandHeredoc, splitRawWords } from './expand';
export type { Lookup } from './expand';
export type * from './types';
