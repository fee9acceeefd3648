// The shape of one CLI command and the context it runs in.
import type { BerthClient } from '../client';
import type { FlagDef, FlagValues } from './flags';

export interface ArgsRule {
  min?: number;
  max?: number;
}

export interface CommandDef {
  /** Usage after the command path: "[OPTIONS] CONTAINER [CONTAINER...]". */
  usage: string;
  /** One-line description shown in help. */
  short: string;
  flags: FlagDef[];
  args?: ArgsRule;
  /** false for run/create: flags end at the image name. */
  interspersed?: boolean;
  /** Exit code for usage errors found while running (docker run/create: 125). */
  usageExitCode?: number;
  run(ctx: CommandContext, flags: FlagValues, args: string[]): Promise<number | void>;
}

export interface CommandContext {
  /** "berth ps", "berth container ls": how the user invoked the command. */
  readonly path: string;
  /** Daemon URL chosen by -H / BERTH_HOST / default. */
  readonly host: string;
  /** The client, created on first use. */
  client(): BerthClient;
  out(text: string): void;
  err(text: string): void;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}
