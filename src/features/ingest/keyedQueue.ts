/**
 * Runs tasks of one key one after another (tasks of different keys run side by side). The meetings
 * service reads a meeting's stored `updatedAt` before it locks the row, so two updates of one
 * meeting committing at once on PostgreSQL could let the older win; within a process, updates of
 * one scale team therefore wait for each other.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
