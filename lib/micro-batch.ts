// Micro-batching of the API's busiest statements (the Twilio status callbacks' group commit, the
// single sends' intake, the API-key lookup): an item that finds no batch running goes at once
// (after the current tick, with whatever else arrived in it); items arriving while `maxInFlight`
// batches run wait and go together in the next one (at most `maxItems`). Batches thus grow with the
// load, and a lone item is never held back waiting for company. Each caller gets its own item's
// outcome, once its batch is done: nothing is acknowledged before it is durable.

/** An item's own refusal in a batch that otherwise succeeded (its caller's promise rejects). */
export class Refused {
  constructor(readonly error: unknown) {}
}

export interface MicroBatchOptions {
  /** Items per batch at most. */
  maxItems?: number;
  /** Batches running at once. */
  maxInFlight?: number;
  /** A batch that fails as a whole is run again item by item, so that one item cannot fail the others. */
  isolateFailures?: boolean;
}

export class MicroBatcher<I, O = void> {
  private pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxItems: number;
  private readonly maxInFlight: number;

  /** `run` answers, per item and in order, its outcome or a Refused; nothing (void) means all done. */
  constructor(
    private readonly run: (items: I[]) => Promise<(O | Refused)[] | void>,
    private readonly opts: MicroBatchOptions = {},
  ) {
    this.maxItems = opts.maxItems ?? 500;
    this.maxInFlight = opts.maxInFlight ?? 4;
  }

  /** Items waiting for a batch (not those of the batches running). */
  get waiting(): number {
    return this.pending.length;
  }

  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxItems);
    this.inFlight += 1;
    void this.settle(batch).finally(() => {
      this.inFlight -= 1;
      this.schedule();
    });
    this.schedule();
  }

  private async settle(batch: typeof this.pending): Promise<void> {
    let outcomes: (O | Refused)[] | void;
    try {
      outcomes = await this.run(batch.map((b) => b.item));
    } catch (err) {
      if (this.opts.isolateFailures && batch.length > 1) {
        for (const b of batch) await this.settle([b]);
      } else for (const b of batch) b.reject(err);
      return;
    }
    batch.forEach((b, n) => {
      const o = outcomes ? outcomes[n] : (undefined as O);
      if (o instanceof Refused) b.reject(o.error);
      else b.resolve(o as O);
    });
  }
}
