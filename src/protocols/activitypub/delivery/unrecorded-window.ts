/**
 * Bounds the deliveries that are sent but whose outcome is not yet written to
 * PostgreSQL: exactly what a killed worker sends again, since nothing says they
 * were answered. A place is taken before signing and given back once the
 * outcome is written, or once the request has waited `slowMs` for an answer: a
 * slow or hanging server must not hold the window (the overall and per-host
 * limits still bound such requests). Places are handed straight to the next in
 * line, so the bound holds exactly.
 */
export class UnrecordedWindow {
  private taken = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly size: number,
    private readonly slowMs: number,
  ) {}

  /** Waits for a place; the returned function gives it back (calling it again does nothing). */
  async enter(): Promise<() => void> {
    if (this.taken < this.size) this.taken += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let given = false;
    const timer = setTimeout(() => leave(), this.slowMs);
    timer.unref();
    const leave = () => {
      if (given) return;
      given = true;
      clearTimeout(timer);
      const next = this.waiting.shift();
      if (next) next();
      else this.taken -= 1;
    };
    return leave;
  }

  /** Places taken now (for tests and metrics). */
  get inUse(): number {
    return this.taken;
  }
}
