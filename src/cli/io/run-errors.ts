// Docker's error rendering for run/create/start: "berth: <error>" plus the help hint,
// exit 125, or 127/126 when the command in the container could not be found/executed.
import { CliError } from '../errors';

function errorText(err: unknown): string {
  if (err instanceof Error && err.name === 'ApiError') return `Error response from daemon: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

export function withHelp(err: unknown, command: string, code = 125): CliError {
  if (err instanceof CliError) return err;
  return new CliError(`berth: ${errorText(err)}\n\nRun 'berth ${command} --help' for more information`, code);
}

/** Docker's toStatusError: classify start failures by their message. */
export function toStatusError(err: unknown, command: string): CliError {
  if (err instanceof CliError) return err;
  const text = errorText(err);
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(text)) {
    return withHelp(err, command, 127);
  }
  if (/permission denied|is a directory/.test(text)) return withHelp(err, command, 126);
  return withHelp(err, command, 125);
}
