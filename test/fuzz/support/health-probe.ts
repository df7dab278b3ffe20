/**
 * @module test/fuzz/support/health-probe
 * Calls `GET /health` on a real socket, one call after another, while the fuzzer works; a call
 * that takes longer than the limit means something held the event loop or the database.
 */

export interface ProbeSample {
  start: number;
  end: number;
  ms: number;
  status: number;
}

export class HealthProbe {
  readonly samples: ProbeSample[] = [];
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly gapMs = 10,
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        const start = performance.now();
        let status = 0;
        try {
          const response = await fetch(`${this.url}/health`);
          await response.arrayBuffer();
          status = response.status;
        } catch {
          status = -1;
        }
        const end = performance.now();
        this.samples.push({ start, end, ms: end - start, status });
        await new Promise((resolve) => setTimeout(resolve, this.gapMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  /** The slowest sample that overlapped [from, to]. */
  slowestDuring(from: number, to: number): ProbeSample | undefined {
    let slowest: ProbeSample | undefined;
    for (const sample of this.samples)
      if (sample.end >= from && sample.start <= to && (!slowest || sample.ms > slowest.ms)) slowest = sample;
    return slowest;
  }
}
