// Runs async jobs with at most `n` in flight, in submission order.
export function limiter(n: number): <T>(job: () => Promise<T>, onQueued?: () => void) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    if (active >= n) return;
    const start = queue.shift();
    if (start) { active++; start(); }
  };
  return <T>(job: () => Promise<T>, onQueued?: () => void) => new Promise<T>((resolve, reject) => {
    queue.push(() => {
      job().then(resolve, reject).finally(() => { active--; next(); });
    });
    if (active >= n) onQueued?.();
    next();
  });
}
