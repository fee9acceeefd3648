// Syntax tree of a parsed template.

export type Operand =
  | { type: 'dot'; pos: number }
  | { type: 'nil'; pos: number }
  | { type: 'field'; chain: string[]; pos: number } // .A.B
  | { type: 'variable'; name: string; chain: string[]; pos: number } // $x.A
  | { type: 'identifier'; name: string; pos: number } // a function name
  | { type: 'literal'; value: string | number | boolean; pos: number }
  | { type: 'sub'; pipe: Pipeline; chain: string[]; pos: number }; // (pipeline).A

export interface Command {
  args: Operand[];
  pos: number;
}

export interface Pipeline {
  decl: string[]; // variables declared ($x :=) or assigned ($x =)
  assign: boolean;
  cmds: Command[];
  pos: number;
}

export type Node =
  | { type: 'text'; text: string }
  | { type: 'action'; pipe: Pipeline; pos: number }
  | { type: 'if' | 'with'; pipe: Pipeline; list: Node[]; elseList: Node[] | null; pos: number }
  | { type: 'range'; pipe: Pipeline; list: Node[]; elseList: Node[] | null; pos: number }
  | { type: 'break' | 'continue'; pos: number };
