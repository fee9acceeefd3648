// CLI errors: a message for stderr and the process exit code.

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** A usage problem: Docker prints it with the usage line and exits 125 (flag errors) or 1. */
export class UsageError extends CliError {}

/** Exit with a code and no message (e.g. a container's exit status). */
export class ExitStatus extends CliError {
  constructor(code: number) {
    super('', code);
  }
}
