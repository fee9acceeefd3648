// Stages run in parallel but their output reads as the legacy builder's: the
// earliest unfinished stage streams live, later stages are held back and
// flushed, in file order, as the stages before them finish.
export class OrderedOutput<T> {
  private readonly buffers = new Map<number, T[]>();
  private readonly done = new Set<number>();
  private current = 0;

  constructor(private readonly order: number[], private readonly write: (item: T) => void) {}

  emitter(stage: number): (item: T) => void {
    return (text) => {
      if (this.order[this.current] === stage) this.write(text);
      else {
        const list = this.buffers.get(stage) ?? [];
        list.push(text);
        this.buffers.set(stage, list);
      }
    };
  }

  finish(stage: number): void {
    this.done.add(stage);
    while (this.current < this.order.length && this.done.has(this.order[this.current])) {
      this.current++;
      const next = this.order[this.current];
      if (next === undefined) break;
      for (const t of this.buffers.get(next) ?? []) this.write(t);
      this.buffers.delete(next);
    }
  }

  /** After a failure: whatever was held back still reaches the client. */
  flushAll(): void {
    for (const s of this.order) {
      for (const t of this.buffers.get(s) ?? []) this.write(t);
      this.buffers.delete(s);
    }
  }
}
