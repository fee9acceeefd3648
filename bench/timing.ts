// Wall-clock timing of client commands, the way a user experiences them.
import { spawn } from 'node:child_process';

export interface TimedCommand { cmd: string; args: string[]; env?: Record<string, string | undefined> }

/**
 * The environment for timed children: NODE_EXTRA_CA_CERTS makes every node start load a
 * CA bundle (~50 ms here), which would measure the sandbox, not Berth.
 */
export function benchEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_TEST_CONTEXT;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs the command once; resolves with elapsed ms and output. Rejects on a non-zero exit. */
export function timeOnce(c: TimedCommand): Promise<{ ms: number; stdout: string }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(c.cmd, c.args, { env: benchEnv(c.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`${c.cmd} ${c.args.join(' ')} exited ${code}: ${stderr.trim().slice(0, 500)}`));
    });
  });
}

/** `warmup` untimed runs, then `iterations` timed runs. */
export async function timeRepeated(c: TimedCommand, iterations: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await timeOnce(c);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) samples.push((await timeOnce(c)).ms);
  return samples;
}

/** Times one async step per iteration, with a setup/teardown around each that is not timed. */
export async function timeSteps<T>(
  iterations: number,
  setup: (i: number) => Promise<T>,
  step: (ctx: T) => Promise<void>,
  teardown: (ctx: T) => Promise<void>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const ctx = await setup(i);
    const started = process.hrtime.bigint();
    try {
      await step(ctx);
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    } finally {
      await teardown(ctx);
    }
  }
  return samples;
}
