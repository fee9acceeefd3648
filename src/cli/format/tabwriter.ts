// Elastic tabstops with the semantics of Go's text/tabwriter (as Docker's tables use
// it: minwidth 10, tabwidth 1, padding 3, pad with spaces). Cells are tab-terminated;
// the text after a line's last tab is not part of any column. A column's width is
// decided per block of consecutive lines that all have a cell in that column.

export interface TabwriterOptions {
  minWidth: number;
  padding: number;
}

export const DOCKER_TABLE: TabwriterOptions = { minWidth: 10, padding: 3 };

/** Display width: code points (Go's tabwriter counts runes). */
function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function tabwrite(text: string, options: TabwriterOptions = DOCKER_TABLE): string {
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const widths: number[] = [];
  let out = '';

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      cells.forEach((cell, j) => {
        if (j < cells.length - 1) {
          // A tab-terminated cell: pad to its column width.
          const w = widths[j] ?? 0;
          out += cell + ' '.repeat(Math.max(0, w - width(cell)));
        } else {
          out += cell;
        }
      });
      if (i < lines.length - 1 || endsWithNewline) out += '\n';
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    let start = line0;
    for (let l = line0; l < line1; l++) {
      if (column >= lines[l].length - 1) continue;
      // A column block starts here: print the lines before it, then size the block.
      writeLines(start, l);
      start = l;
      let w = options.minWidth;
      let end = l;
      for (; end < line1 && column < lines[end].length - 1; end++) {
        w = Math.max(w, width(lines[end][column]) + options.padding);
      }
      widths.push(w);
      format(start, end);
      widths.pop();
      start = end;
      l = end - 1;
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out;
}
