/**
 * @module models/middleware/otlp-exporter
 * Spans to an OpenTelemetry collector over OTLP/HTTP with JSON bodies (`POST <endpoint>/v1/traces`).
 * Spans are queued and sent in batches — every `intervalMs` or when `maxBatch` are waiting — so a
 * model call only pushes to an array. A collector that is down costs dropped spans (the queue is
 * bounded), never a slower call. Written directly rather than with the OpenTelemetry SDK: the
 * wire format is small and stable, and the SDK's context machinery would sit on every call.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../core/logger.js';

export type AttributeValue = string | number | boolean | string[];

export interface ExportSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: 1 | 2 | 3;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, AttributeValue | undefined>;
  status: { code: 0 | 1 | 2; message?: string };
}

export interface OtlpExporterOptions {
  /** Collector base URL; `/v1/traces` is appended unless the URL already ends with it. */
  endpoint: string;
  serviceName: string;
  serviceVersion?: string;
  intervalMs?: number;
  maxBatch?: number;
  /** Spans kept while the collector is slow or down; older ones beyond this are dropped. */
  maxQueue?: number;
  timeoutMs?: number;
  logger?: Logger;
  fetch?: typeof fetch;
}

export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');

export class OtlpExporter {
  readonly #url: string;
  readonly #queue: ExportSpan[] = [];
  readonly #interval: number;
  readonly #maxBatch: number;
  readonly #maxQueue: number;
  readonly #resource: { attributes: ReturnType<typeof toAttributes> };
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> = Promise.resolve();
  #dropped = 0;
  #lastError = 0;

  constructor(private readonly options: OtlpExporterOptions) {
    const base = options.endpoint.replace(/\/+$/, '');
    this.#url = base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
    this.#interval = options.intervalMs ?? 1000;
    this.#maxBatch = options.maxBatch ?? 512;
    this.#maxQueue = options.maxQueue ?? 4096;
    this.#resource = {
      attributes: toAttributes({
        'service.name': options.serviceName,
        'service.version': options.serviceVersion,
      }),
    };
  }

  /** Spans dropped because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  export(span: ExportSpan): void {
    if (this.#queue.length >= this.#maxQueue) {
      this.#queue.shift();
      this.#dropped++;
    }
    this.#queue.push(span);
    if (this.#queue.length >= this.#maxBatch) void this.flush();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush(), this.#interval);
      this.#timer.unref();
    }
  }

  /** Sends everything queued; resolves when the sends finished (or failed). */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#queue.length) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#sending = this.#sending.then(() => this.#send(batch));
    }
    return this.#sending;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  async #send(batch: ExportSpan[]): Promise<void> {
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: this.#resource,
          scopeSpans: [
            { scope: { name: 'keel', version: this.options.serviceVersion ?? '' }, spans: batch.map(toOtlp) },
          ],
        },
      ],
    });
    try {
      const response = await (this.options.fetch ?? fetch)(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`collector answered HTTP ${response.status}`);
    } catch (error) {
      // One line a minute at most: a missing collector must not flood the log.
      const now = Date.now();
      if (now - this.#lastError > 60_000) {
        this.#lastError = now;
        this.options.logger?.warn(
          { err: (error as Error).message, spans: batch.length, url: this.#url },
          'trace spans not exported',
        );
      }
    }
  }
}

function toOtlp(span: ExportSpan) {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    attributes: toAttributes(span.attributes),
    status: span.status,
  };
}

function toAttributes(attributes: Record<string, AttributeValue | undefined>) {
  const result: { key: string; value: Record<string, unknown> }[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    result.push({ key, value: anyValue(value) });
  }
  return result;
}

function anyValue(value: AttributeValue): Record<string, unknown> {
  if (Array.isArray(value)) return { arrayValue: { values: value.map((item) => ({ stringValue: item })) } };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number')
    return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  return { stringValue: value };
}
