// Dockerfile syntax tree: raw instructions (one per logical line) before any
// variable is expanded; expansion needs the build's args and env.

export interface Heredoc {
  name: string; // the delimiter word, e.g. EOF
  content: string; // body lines, each ending with "\n"
  /** Unquoted delimiter: variables in the body are expanded (COPY) / left to the shell (RUN). */
  expand: boolean;
}

export interface RawInstruction {
  /** Upper-case keyword: RUN, COPY, ... */
  keyword: string;
  /** Leading `--name[=value]` flags, as written. */
  flags: string[];
  /** Text after the keyword and flags (continuations joined, comments dropped). */
  rest: string;
  /** Exec (JSON) form, when the instruction allows one and `rest` is a JSON string array. */
  json?: string[];
  heredocs: Heredoc[];
  /** The instruction as written on one line (keyword included), for messages. */
  original: string;
  line: number; // 1-based first line
  endLine: number;
}

export interface ParsedDockerfile {
  file: string; // name used in messages ("Dockerfile")
  escape: string;
  directives: Record<string, string>;
  instructions: RawInstruction[];
}
