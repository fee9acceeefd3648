// Thin runc CLI wrapper (`runc --root <root> <verb> ...`). runc reports failures as
// logrus lines on stderr; the `msg` field becomes the error message.
import { execFile } from 'node:child_process';

export class RuncError extends Error {
  constructor(message: string, readonly stderr: string) { super(message); this.name = 'RuncError'; }
  get notExist(): boolean { return /does not exist|not exist/.test(this.message); }
  get notRunning(): boolean { return /not running|container is stopped|already (stopped|exited)|no such process/.test(this.message); }
}

/** Decode the value of `msg="..."` in a logrus text line (Go-quoted), or the trimmed text. */
export function logrusMessage(text: string): string {
  const at = text.lastIndexOf('msg="');
  if (at < 0) return text.trim();
  let out = '';
  for (let i = at + 5; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') return out;
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[++i];
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else {
      out += ch;
    }
  }
  return out;
}

export interface RuncState { status: string; pid: number; bundle?: string }

export class Runc {
  constructor(private readonly bin: string, private readonly root: string) {}

  run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(this.bin, ['--root', this.root, ...args], { maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (!err) { resolve(stdout); return; }
        const text = String(stderr || stdout || err.message);
        reject(new RuncError(logrusMessage(text) || err.message, text));
      });
    });
  }

  async state(id: string): Promise<RuncState | undefined> {
    try {
      const out = await this.run(['state', id]);
      const parsed = JSON.parse(out) as { status: string; pid: number; bundle?: string };
      return { status: parsed.status, pid: parsed.pid, bundle: parsed.bundle };
    } catch (err) {
      if (err instanceof RuncError && err.notExist) return undefined;
      throw err;
    }
  }

  async start(id: string): Promise<void> { await this.run(['start', id]); }
  /** runc update -r -: the resources JSON on stdin (absent or zero fields are left unchanged). */
  update(id: string, resources: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = execFile(this.bin, ['--root', this.root, 'update', '-r', '-', id], (err, stdout, stderr) => {
        if (!err) { resolve(); return; }
        const text = String(stderr || stdout || err.message);
        reject(new RuncError(logrusMessage(text) || err.message, text));
      });
      child.stdin?.end(JSON.stringify(resources));
    });
  }
  async kill(id: string, signal: string | number): Promise<void> { await this.run(['kill', id, String(signal)]); }
  async pause(id: string): Promise<void> { await this.run(['pause', id]); }
  async resume(id: string): Promise<void> { await this.run(['resume', id]); }

  async delete(id: string, force: boolean): Promise<void> {
    try {
      await this.run(force ? ['delete', '--force', id] : ['delete', id]);
    } catch (err) {
      if (err instanceof RuncError && err.notExist) return;
      throw err;
    }
  }
}
