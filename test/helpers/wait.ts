// Polling helpers for conditions that settle asynchronously (a container exiting, a
// state written after an exit file appears).

export interface WaitForOptions {
  timeoutMs?: number; // default 15 s
  intervalMs?: number; // default 100 ms
}

/**
 * Calls `probe` until it returns something other than undefined/false, and returns that.
 * On timeout, throws with `what` and the last value or error seen.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, options: WaitForOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out waiting for ${what} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
