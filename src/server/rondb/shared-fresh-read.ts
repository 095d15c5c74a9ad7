/**
 * A read shared by the requests that wait for it, never older than any of them: a request that comes while no read
 * runs starts one; a request that comes while one runs (which may have begun before the request came) waits for the
 * next, which starts once the running one ends and serves every request that came meanwhile. So each request sees
 * a value read after it came, and under load one read runs at a time instead of one per request.
 */
export class SharedFreshRead<T> {
  private running: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.running === undefined) return this.start();
    this.next ??= this.running.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.next;
  }

  private startNext(): Promise<T> {
    this.next = undefined;
    return this.start();
  }

  private start(): Promise<T> {
    const reading = this.read();
    this.running = reading;
    const done = () => {
      if (this.running === reading) this.running = undefined;
    };
    reading.then(done, done);
    return reading;
  }
}
