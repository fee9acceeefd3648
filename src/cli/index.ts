// Public surface of the berth CLI. bin/berth calls main(); the command modules stay
// behind the registry so only the command being run is loaded.
export { main, reportError } from './main';
export { BERTH_VERSION } from './build-info';
export type { CommandDef, CommandContext, ArgsRule } from './command';
export { CliError, UsageError, ExitStatus } from './errors';
