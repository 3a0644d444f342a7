/** Waits that a closing server can cut short, so that no delayed reply outlives it. */
export class CancellableTimers {
  private readonly pending = new Map<NodeJS.Timeout, (reason: Error) => void>();

  /** Resolves after `ms`; rejects when `cancelAll` comes first. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, reject);
    });
  }

  cancelAll(): void {
    for (const [timer, reject] of this.pending) {
      clearTimeout(timer);
      reject(new Error('the DNS test server closed'));
    }
    this.pending.clear();
  }
}
