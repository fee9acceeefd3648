// A Go text/template subset, as Docker's --format flags use it.
import type { Node } from './ast';
import { Parser } from './parser';
import { Executor, type MissingKey } from './exec';
import { BUILTINS, funcNames, HEADER_FUNCS, type FuncMap } from './funcs';

export { TemplateSyntaxError } from './lexer';
export { TemplateExecError, STRUCT_TYPE, printValue, truth, type StructObject } from './values';
export { BUILTINS, HEADER_FUNCS, type FuncMap, type TemplateFunc } from './funcs';
export type { MissingKey } from './exec';

export class Template {
  private constructor(private readonly src: string, private readonly nodes: Node[], private readonly funcs: FuncMap) {}

  /** Parse a template; throws TemplateSyntaxError ("template: :1: ..."). */
  static parse(src: string, extraFuncs: FuncMap = {}): Template {
    const funcs = { ...BUILTINS, ...extraFuncs };
    const nodes = new Parser(src, funcNames(funcs)).parse();
    return new Template(src, nodes, funcs);
  }

  /** Run against `data`; throws TemplateExecError. `overrides` swaps functions (table headers). */
  execute(data: unknown, options: { missingKey?: MissingKey; overrides?: FuncMap } = {}): string {
    const funcs = options.overrides ? { ...this.funcs, ...options.overrides } : this.funcs;
    return new Executor(this.src, funcs, options.missingKey ?? 'default').run(this.nodes, data);
  }
}

