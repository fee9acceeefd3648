// A promise settled from outside. Its rejection is marked handled at once: the
// owner observes it where it awaits (a job that failed, a store that cleans up).
export interface Deferred<T> { promise: Promise<T>; resolve: (value: T) => void; reject: (err: unknown) => void }

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
