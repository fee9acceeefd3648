// Flag definitions in the style of spf13/pflag (which Docker's CLI uses), so error
// texts and help lines come out the same.

export type FlagKind = 'bool' | 'string' | 'int' | 'list';

export interface FlagDef {
  /** Long name without dashes ("name"). */
  name: string;
  /** One-letter shorthand ("d"). */
  short?: string;
  kind: FlagKind;
  usage: string;
  /** Type word shown in help ("string", "int", "list", "filter", "bytes"...). */
  typeName?: string;
  /** Default shown in help and returned when the flag is absent. */
  default?: string | number | boolean;
  hidden?: boolean;
  /** Extra validation of a value; throw with pflag-style text ("invalid size: 'x'"). */
  validate?: (value: string) => void;
}

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

/** "-n, --last" or "--stop-timeout", as pflag names a flag in its errors. */
export function flagLabel(def: FlagDef): string {
  return def.short ? `-${def.short}, --${def.name}` : `--${def.name}`;
}
