// berth build's progress. "plain" prints the legacy builder's stream as it comes.
// "tty" turns the same stream into a live view redrawn in place: one line per step
// with its elapsed time or a CACHED marker, the running step's last output lines
// under it, and a header with the total time; a failed step's whole output is
// printed once the view stops.

export type ProgressMode = 'plain' | 'tty';

export function progressMode(flag: string, stdoutIsTty: boolean): ProgressMode {
  if (flag === 'plain' || flag === 'tty') return flag;
  if (flag === 'auto' || flag === '') return stdoutIsTty ? 'tty' : 'plain';
  throw new Error(`invalid progress mode "${flag}": use auto, plain or tty`);
}

export interface ProgressSink {
  /** One `stream` message of the build. */
  text(text: string): void;
  /** The build ended; `ok` false after an error. */
  end(ok: boolean): void;
}

export function plainProgress(out: (s: string) => void): ProgressSink {
  return { text: out, end: () => undefined };
}

interface StepView {
  title: string; // "[2/8] RUN echo hi"
  started: number;
  ended?: number;
  cached: boolean;
  logs: string[];
}

const LOG_TAIL = 6;
const REDRAW_MS = 100;
const STEP_LINE = /^Step (\d+)\/(\d+) : (.*)$/;
// Lines of the legacy stream that say what the builder did rather than what the step printed.
const BUILDER_LINE = /^( ---> |Removing intermediate container |Successfully (built|tagged) |\[Warning\]|# Executing \d+ build trigger)/;

export class TtyProgress implements ProgressSink {
  private readonly steps: StepView[] = [];
  private readonly trailer: string[] = [];
  private readonly started = Date.now();
  private partial = '';
  private drawn = 0; // lines of the last frame
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly out: NodeJS.WriteStream) {
    this.timer = setInterval(() => this.draw(), REDRAW_MS);
    this.timer.unref();
  }

  text(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  end(ok: boolean): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const current = this.steps[this.steps.length - 1];
    if (current && current.ended === undefined) current.ended = Date.now();
    this.draw(ok ? undefined : current);
    if (!ok && current && current.logs.length) this.out.write(`------\n > ${current.title}:\n${current.logs.join('\n')}\n------\n`);
    if (this.trailer.length) this.out.write(`${this.trailer.join('\n')}\n`);
  }

  private line(line: string): void {
    const m = STEP_LINE.exec(line);
    const current = this.steps[this.steps.length - 1];
    if (m) {
      if (current && current.ended === undefined) current.ended = Date.now();
      this.steps.push({ title: `[${m[1]}/${m[2]}] ${m[3]}`, started: Date.now(), cached: false, logs: [] });
      return;
    }
    if (/^Successfully (built|tagged) |^\[Warning\]/.test(line)) {
      if (current && current.ended === undefined) current.ended = Date.now();
      this.trailer.push(line);
      return;
    }
    if (!current) return;
    if (line === ' ---> Using cache') { current.cached = true; return; }
    if (BUILDER_LINE.test(line)) return;
    current.logs.push(line);
  }

  private draw(failed?: StepView): void {
    const width = Math.max(40, this.out.columns || 80);
    const done = this.steps.filter((s) => s.ended !== undefined).length;
    const total = this.steps.length ? Number(/\/(\d+)\]/.exec(this.steps[0].title)?.[1] ?? this.steps.length) : 0;
    const frame = [`[+] Building ${secs(Date.now() - this.started)} (${done}/${total})${failed ? ' FINISHED with an error' : ''}`];
    for (const s of this.steps) {
      const status = s === failed ? 'ERROR' : s.cached ? 'CACHED' : secs((s.ended ?? Date.now()) - s.started);
      frame.push(fit(` => ${s.title}`, status, width));
      if (s.ended === undefined) for (const l of s.logs.slice(-LOG_TAIL)) frame.push(`\x1b[2m${clip(` => => ${l}`, width)}\x1b[0m`);
    }
    const clear = this.drawn ? `\x1b[${this.drawn}A\x1b[J` : '';
    this.out.write(`${clear}${frame.join('\n')}\n`);
    this.drawn = frame.length;
  }
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** "title ..... status" on one terminal line. */
function fit(title: string, status: string, width: number): string {
  const room = width - status.length - 2;
  const t = clip(title, room);
  return `${t}${' '.repeat(Math.max(1, room - t.length + 1))}${status}`;
}

function clip(s: string, width: number): string {
  const flat = s.replace(/[\r\t]/g, ' ').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  return flat.length > width - 1 ? `${flat.slice(0, Math.max(0, width - 4))}...` : flat;
}
