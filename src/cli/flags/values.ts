// Parsed flag values with typed accessors.
import type { FlagDef } from './types';

export class FlagValues {
  private readonly values = new Map<string, string | number | boolean | string[]>();
  private readonly set = new Set<string>();

  constructor(private readonly defs: ReadonlyMap<string, FlagDef>) {}

  /** Record one occurrence (lists append, others overwrite). */
  put(name: string, value: string | number | boolean): void {
    const def = this.defs.get(name);
    if (def?.kind === 'list') {
      const list = (this.values.get(name) as string[] | undefined) ?? [];
      list.push(String(value));
      this.values.set(name, list);
    } else {
      this.values.set(name, value);
    }
    this.set.add(name);
  }

  changed(name: string): boolean {
    return this.set.has(name);
  }

  bool(name: string): boolean {
    const v = this.values.get(name) ?? this.defs.get(name)?.default;
    return v === true;
  }

  string(name: string): string {
    const v = this.values.get(name) ?? this.defs.get(name)?.default;
    return v === undefined ? '' : String(v);
  }

  /** The value when given, else undefined (to tell "" from absent). */
  optionalString(name: string): string | undefined {
    return this.changed(name) ? this.string(name) : undefined;
  }

  int(name: string): number {
    const v = this.values.get(name) ?? this.defs.get(name)?.default;
    return typeof v === 'number' ? v : 0;
  }

  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? [...v] : [];
  }
}
