// Recursive-descent parser for the template subset: actions with pipelines,
// if / else if / else, range (with $i, $v :=), with, variables, break/continue.
import { lex, lineOf, TemplateSyntaxError, type Token } from './lexer';
import type { Command, Node, Operand, Pipeline } from './ast';

const UNSUPPORTED = new Set(['template', 'define', 'block']);

export class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private rangeDepth = 0;

  constructor(private readonly src: string, private readonly funcs: ReadonlySet<string>) {
    this.tokens = lex(src);
  }

  parse(): Node[] {
    const { list, end } = this.parseList();
    if (end !== 'eof') throw this.error(this.peek(-1).pos, `unexpected {{${end}}}`);
    return list;
  }

  private error(pos: number, msg: string): TemplateSyntaxError {
    return new TemplateSyntaxError(`template: :${lineOf(this.src, pos)}: ${msg}`);
  }

  private peek(offset = 0): Token { return this.tokens[Math.max(0, this.i + offset)]; }
  private next(): Token { return this.tokens[this.i++]; }

  private expect(type: Token['type'], context: string): Token {
    const t = this.next();
    if (t.type !== type) throw this.error(t.pos, `unexpected ${describe(t)} in ${context}`);
    return t;
  }

  /** Nodes up to {{end}}, {{else...}} or EOF; reports which one stopped it. */
  private parseList(): { list: Node[]; end: 'eof' | 'end' | 'else' } {
    const list: Node[] = [];
    for (;;) {
      const t = this.next();
      if (t.type === 'eof') return { list, end: 'eof' };
      if (t.type === 'text') { list.push({ type: 'text', text: t.value }); continue; }
      // t is '{{'
      const k = this.peek();
      if (k.type === 'identifier') {
        switch (k.value) {
          case 'end': this.i++; this.expect('right', 'end'); return { list, end: 'end' };
          case 'else': this.i++; return { list, end: 'else' };
          case 'if': case 'with': case 'range':
            this.i++;
            list.push(this.parseControl(k.value, k.pos));
            continue;
          case 'break': case 'continue':
            this.i++;
            if (this.rangeDepth === 0) throw this.error(k.pos, `{{${k.value}}} outside {{range}}`);
            this.expect('right', k.value);
            list.push({ type: k.value, pos: k.pos });
            continue;
          default:
            if (UNSUPPORTED.has(k.value)) {
              throw this.error(k.pos, `{{${k.value}}} is not supported by Berth's template engine`);
            }
        }
      }
      const pipe = this.parsePipeline('command', true);
      this.expect('right', 'command');
      list.push({ type: 'action', pipe, pos: k.pos });
    }
  }

  private parseControl(kind: 'if' | 'with' | 'range', pos: number): Node {
    const pipe = this.parsePipeline(kind, true);
    this.expect('right', kind);
    if (kind === 'range') this.rangeDepth++;
    const body = this.parseList();
    if (kind === 'range') this.rangeDepth--;
    if (body.end === 'eof') throw this.error(pos, `unexpected EOF`);
    let elseList: Node[] | null = null;
    if (body.end === 'else') {
      const k = this.peek();
      if ((kind === 'if' || kind === 'with') && k.type === 'identifier' && k.value === kind) {
        // "{{else if x}}" is an if nested in the else branch, sharing this {{end}}.
        this.i++;
        elseList = [this.parseControl(kind, k.pos)];
      } else {
        this.expect('right', 'else');
        const rest = this.parseList();
        if (rest.end !== 'end') throw this.error(pos, rest.end === 'eof' ? 'unexpected EOF' : 'expected end; found {{else}}');
        elseList = rest.list;
      }
    }
    if (kind === 'range') return { type: 'range', pipe, list: body.list, elseList, pos };
    return { type: kind, pipe, list: body.list, elseList, pos };
  }

  private parsePipeline(context: string, allowDecl: boolean): Pipeline {
    const pos = this.peek().pos;
    const decl: string[] = [];
    let assign = false;
    if (allowDecl && this.peek().type === 'variable') {
      // Look ahead for "$x :=", "$x =" or "$i, $v :=".
      const save = this.i;
      const names = [this.next().value];
      if (this.peek().type === 'comma' && context === 'range') {
        this.i++;
        names.push(this.expect('variable', 'range').value);
      }
      const op = this.peek();
      if (op.type === 'declare' || op.type === 'assign') {
        this.i++;
        decl.push(...names);
        assign = op.type === 'assign';
      } else {
        this.i = save;
      }
    }
    const cmds: Command[] = [];
    for (;;) {
      cmds.push(this.parseCommand(context));
      if (this.peek().type !== 'pipe') break;
      this.i++;
    }
    return { decl, assign, cmds, pos };
  }

  private parseCommand(context: string): Command {
    const args: Operand[] = [];
    const pos = this.peek().pos;
    for (;;) {
      const t = this.peek();
      if (t.type === 'right' || t.type === 'rparen' || t.type === 'pipe') break;
      if (args.length > 0 && !t.spaced) {
        // Go's messages for "{{json.}}" and "{{.Label"x"}}".
        if (t.type === 'string') throw this.error(t.pos, `bad character U+0022 '"'`);
        if (t.type === 'dot' || t.type === 'field') throw this.error(t.pos, `unexpected <${t.value}> in operand`);
        throw this.error(t.pos, `missing space before ${describe(t)}`);
      }
      args.push(this.parseOperand());
    }
    if (args.length === 0) throw this.error(pos, `missing value for ${context}`);
    return { args, pos };
  }

  private parseOperand(): Operand {
    const t = this.next();
    let op: Operand;
    switch (t.type) {
      case 'dot': op = { type: 'dot', pos: t.pos }; break;
      case 'field': op = { type: 'field', chain: [t.value.slice(1)], pos: t.pos }; break;
      case 'variable': op = { type: 'variable', name: t.value, chain: [], pos: t.pos }; break;
      case 'string': op = { type: 'literal', value: unquote(t.value, (m) => this.error(t.pos, m)), pos: t.pos }; break;
      case 'char': op = { type: 'literal', value: unquote(`"${t.value.slice(1, -1)}"`, (m) => this.error(t.pos, m)).codePointAt(0) ?? 0, pos: t.pos }; break;
      case 'number': {
        const n = Number(t.value.replace(/_/g, ''));
        if (Number.isNaN(n)) throw this.error(t.pos, `bad number syntax: "${t.value}"`);
        op = { type: 'literal', value: n, pos: t.pos };
        break;
      }
      case 'lparen': {
        const pipe = this.parsePipeline('parenthesized pipeline', false);
        this.expect('rparen', 'parenthesized pipeline');
        op = { type: 'sub', pipe, chain: [], pos: t.pos };
        break;
      }
      case 'identifier':
        if (t.value === 'true' || t.value === 'false') op = { type: 'literal', value: t.value === 'true', pos: t.pos };
        else if (t.value === 'nil') op = { type: 'nil', pos: t.pos };
        else if (this.funcs.has(t.value)) op = { type: 'identifier', name: t.value, pos: t.pos };
        else throw this.error(t.pos, `function "${t.value}" not defined`);
        break;
      default:
        throw this.error(t.pos, `unexpected ${describe(t)} in operand`);
    }
    // Field chains glued to the operand: .A.B, $x.A, (pipe).A
    while (this.peek().type === 'field' && !this.peek().spaced) {
      const f = this.next().value.slice(1);
      if (op.type === 'field' || op.type === 'variable' || op.type === 'sub') op.chain.push(f);
      else if (op.type === 'dot') op = { type: 'field', chain: [f], pos: op.pos };
      else throw this.error(t.pos, `unexpected . after term "${t.value}"`);
    }
    return op;
  }
}

function describe(t: Token): string {
  if (t.type === 'eof') return 'EOF';
  if (t.type === 'right') return '"}}"';
  return `"${t.value}"`;
}

function unquote(raw: string, fail: (msg: string) => Error): string {
  if (raw.startsWith('`')) return raw.slice(1, -1);
  try {
    return JSON.parse(raw.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\'/g, "'").replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as string;
  } catch {
    throw fail(`invalid syntax: ${raw}`);
  }
}
