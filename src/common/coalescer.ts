interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for any call that costs a round trip: a run starts at once when none is under way
 * (on the next turn of the event loop, so the calls of one turn go together), and calls arriving
 * meanwhile wait and go together in the next run, at most `maxBatch` of them. So every run starts
 * after each of its calls was made: what it reads is at least as new as each caller asked.
 * One run at a time; a failed run rejects each of its calls with its error.
 */
export class Coalescer<I, O> {
  private waiting: Array<Waiting<I, O>> = [];
  private running = false;
  private scheduled = false;

  /** `run` answers its inputs in order, one output each. */
  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch = Number.POSITIVE_INFINITY,
  ) {}

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    const calls = this.waiting.splice(0, this.maxBatch);
    this.running = true;
    Promise.resolve()
      .then(() => this.run(calls.map((call) => call.input)))
      .then(
        (outputs) => calls.forEach((call, index) => call.resolve(outputs[index])),
        (error: unknown) => calls.forEach((call) => call.reject(error)),
      )
      .finally(() => {
        this.running = false;
        this.schedule();
      });
  }
}
