export { parseFlags, withHelp, type ParseOptions, type ParseResult } from './parser';
export { FlagValues } from './values';
export { FlagError, flagLabel, type FlagDef, type FlagKind } from './types';
