// Template evaluator: walks the tree with a dot value and a variable stack.
import type { Command, Node, Operand, Pipeline } from './ast';
import { lineOf } from './lexer';
import { SPECIAL_FORMS, type FuncMap } from './funcs';
import { isMap, isStruct, printValue, TemplateExecError, truth, typeName } from './values';

export type MissingKey = 'default' | 'error' | 'zero';

class BreakSignal { constructor(readonly kind: 'break' | 'continue') {} }

interface Var { name: string; value: unknown }

export class Executor {
  private readonly vars: Var[] = [];
  private out = '';

  constructor(
    private readonly src: string,
    private readonly funcs: FuncMap,
    private readonly missingKey: MissingKey,
  ) {}

  run(nodes: Node[], data: unknown): string {
    this.vars.push({ name: '$', value: data });
    this.walkList(nodes, data);
    return this.out;
  }

  private fail(pos: number, expr: string, msg: string): TemplateExecError {
    const line = lineOf(this.src, pos);
    const col = pos - (this.src.lastIndexOf('\n', pos - 1) + 1);
    return new TemplateExecError(`template: :${line}:${col}: executing "" at <${expr}>: ${msg}`);
  }

  private walkList(nodes: Node[], dot: unknown): void {
    for (const node of nodes) this.walk(node, dot);
  }

  private scoped(fn: () => void): void {
    const mark = this.vars.length;
    try { fn(); } finally { this.vars.length = mark; }
  }

  private walk(node: Node, dot: unknown): void {
    switch (node.type) {
      case 'text': this.out += node.text; return;
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.out += printValue(value);
        return;
      }
      case 'break': case 'continue': throw new BreakSignal(node.type);
      case 'if': case 'with':
        this.scoped(() => {
          const value = this.evalPipeline(dot, node.pipe);
          if (truth(value)) this.walkList(node.list, node.type === 'with' ? value : dot);
          else if (node.elseList) this.walkList(node.elseList, dot);
        });
        return;
      case 'range': this.scoped(() => this.walkRange(node, dot)); return;
    }
  }

  private walkRange(node: Extract<Node, { type: 'range' }>, dot: unknown): void {
    const pipe = node.pipe;
    const value = this.evalPipeline(dot, { ...pipe, decl: [] });
    let entries: Array<[unknown, unknown]>;
    if (value === undefined || value === null) entries = [];
    else if (Array.isArray(value)) entries = value.map((v, i) => [i, v]);
    else if (typeof value === 'number' && Number.isInteger(value)) entries = Array.from({ length: Math.max(0, value) }, (_, i) => [i, i]);
    else if (isMap(value)) entries = Object.keys(value).sort().map((k) => [k, value[k]]);
    else throw this.fail(node.pos, 'range', `range can't iterate over ${printValue(value)}`);
    if (entries.length === 0) {
      if (node.elseList) this.walkList(node.elseList, dot);
      return;
    }
    for (const [key, elem] of entries) {
      const mark = this.vars.length;
      if (pipe.decl.length === 1) this.vars.push({ name: pipe.decl[0], value: elem });
      else if (pipe.decl.length === 2) this.vars.push({ name: pipe.decl[0], value: key }, { name: pipe.decl[1], value: elem });
      try {
        this.walkList(node.list, elem);
      } catch (err) {
        if (!(err instanceof BreakSignal)) throw err;
        if (err.kind === 'break') { this.vars.length = mark; break; }
      }
      this.vars.length = mark;
    }
  }

  private evalPipeline(dot: unknown, pipe: Pipeline): unknown {
    let value: unknown;
    let first = true;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, first ? NO_FINAL : value);
      first = false;
    }
    for (const name of pipe.decl) {
      if (pipe.assign) {
        const v = [...this.vars].reverse().find((x) => x.name === name);
        if (!v) throw this.fail(pipe.pos, name, `undefined variable: ${name}`);
        v.value = value;
      } else {
        this.vars.push({ name, value });
      }
    }
    return value;
  }

  private evalCommand(dot: unknown, cmd: Command, final: unknown): unknown {
    const [head, ...rest] = cmd.args;
    const argValues = () => {
      const vals = rest.map((a) => this.evalArg(dot, a));
      if (final !== NO_FINAL) vals.push(final);
      return vals;
    };
    switch (head.type) {
      case 'identifier': {
        if (SPECIAL_FORMS.has(head.name)) return this.evalAndOr(head.name, dot, rest, final);
        const fn = this.funcs[head.name];
        try {
          return fn(...argValues());
        } catch (err) {
          if (err instanceof TemplateExecError && !err.message.startsWith('template:')) {
            const msg = err.message.startsWith('error calling') || err.message.startsWith('wrong') ? err.message : `error calling ${head.name}: ${err.message}`;
            throw this.fail(head.pos, head.name, msg);
          }
          throw err;
        }
      }
      case 'field': return this.evalChain(dot, dot, head.chain, argValues(), head.pos, '');
      case 'variable': return this.evalChain(dot, this.lookupVar(head.name, head.pos), head.chain, argValues(), head.pos, head.name);
      case 'sub': {
        const base = this.evalPipeline(dot, head.pipe);
        if (head.chain.length > 0) return this.evalChain(dot, base, head.chain, argValues(), head.pos, '(...)');
        this.noArgs(rest, final, head.pos);
        return base;
      }
      default:
        this.noArgs(rest, final, head.pos);
        return this.evalArg(dot, head);
    }
  }

  private noArgs(rest: Operand[], final: unknown, pos: number): void {
    if (rest.length > 0 || final !== NO_FINAL) throw this.fail(pos, '', "can't give argument to non-function");
  }

  private evalAndOr(name: string, dot: unknown, rest: Operand[], final: unknown): unknown {
    const thunks: Array<() => unknown> = rest.map((a) => () => this.evalArg(dot, a));
    if (final !== NO_FINAL) thunks.push(() => final);
    if (thunks.length === 0) throw new TemplateExecError(`wrong number of args for ${name}: want at least 1 got 0`);
    let v: unknown;
    for (const t of thunks) {
      v = t();
      if (name === 'and' ? !truth(v) : truth(v)) return v;
    }
    return v;
  }

  private evalArg(dot: unknown, op: Operand): unknown {
    switch (op.type) {
      case 'dot': return dot;
      case 'nil': return null;
      case 'literal': return op.value;
      case 'field': return this.evalChain(dot, dot, op.chain, [], op.pos, '');
      case 'variable': return this.evalChain(dot, this.lookupVar(op.name, op.pos), op.chain, [], op.pos, op.name);
      case 'sub': return this.evalChain(dot, this.evalPipeline(dot, op.pipe), op.chain, [], op.pos, '(...)');
      case 'identifier': {
        if (SPECIAL_FORMS.has(op.name)) return this.evalAndOr(op.name, dot, [], NO_FINAL);
        return this.funcs[op.name]();
      }
    }
  }

  private lookupVar(name: string, pos: number): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    throw this.fail(pos, name, `undefined variable: ${name}`);
  }

  /** Resolve .A.B.C on `base`; only the last element receives arguments. */
  private evalChain(_dot: unknown, base: unknown, chain: string[], args: unknown[], pos: number, prefix: string): unknown {
    if (chain.length === 0) {
      if (args.length > 0) throw this.fail(pos, prefix, "can't give argument to non-function");
      return base;
    }
    let value = base;
    let expr = prefix;
    chain.forEach((name, i) => {
      expr += `.${name}`;
      value = this.field(value, name, i === chain.length - 1 ? args : [], pos, expr);
    });
    return value;
  }

  private field(receiver: unknown, name: string, args: unknown[], pos: number, expr: string): unknown {
    if (receiver === undefined || receiver === null) throw this.fail(pos, expr, `nil pointer evaluating interface {}.${name}`);
    if (typeof receiver === 'object' && Object.prototype.hasOwnProperty.call(receiver, name)) {
      const v = (receiver as Record<string, unknown>)[name];
      if (typeof v === 'function') {
        try {
          return (v as (...a: unknown[]) => unknown)(...args);
        } catch (err) {
          if (err instanceof TemplateExecError) throw this.fail(pos, expr, `error calling ${name}: ${err.message}`);
          throw err;
        }
      }
      if (args.length > 0) throw this.fail(pos, expr, `${name} is not a method but has arguments`);
      return v;
    }
    if (isStruct(receiver)) throw this.fail(pos, expr, `can't evaluate field ${name} in type ${typeName(receiver)}`);
    if (isMap(receiver)) {
      if (args.length > 0) throw this.fail(pos, expr, `${name} is not a method but has arguments`);
      if (this.missingKey === 'error') throw this.fail(pos, expr, `map has no entry for key "${name}"`);
      return this.missingKey === 'zero' ? '' : undefined;
    }
    throw this.fail(pos, expr, `can't evaluate field ${name} in type ${typeName(receiver)}`);
  }
}

const NO_FINAL: unique symbol = Symbol('no-final-arg');
