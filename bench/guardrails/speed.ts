/**
 * @module bench/guardrails/speed
 * Throughput of all three detectors over mixed Korean/English text (KorQuAD and XQuAD contexts
 * with PII sentences mixed in) — together on each document with one shared text scope, as
 * evaluate() runs them, and each alone, the median of three passes — and latency of a 2 KB message through `evaluate` with the default
 * policy. Anchors run on the same text in the same process: naive email/phone/card regexes, and
 * an `@`-anchored email scan.
 */
import { evaluate } from '../../src/guardrails/evaluate.js';
import { createHapDetector } from '../../src/guardrails/hap/hap-detector.js';
import { createInjectionDetector } from '../../src/guardrails/injection/injection-detector.js';
import { createPiiDetector } from '../../src/guardrails/pii/pii-detector.js';
import { defaultPolicy } from '../../src/guardrails/policy.js';
import { createTextScope } from '../../src/guardrails/text/text-scope.js';
import { loadRetrievalSet } from '../rag/datasets.js';
import { percentile, random } from '../rag/metrics.js';
import { koreanPiiSet } from './korean-pii-set.js';

const MiB = 1024 * 1024;

/** Paragraphs of both languages in random order with one PII sentence in ten, up to `bytes`. */
export function mixedText(bytes: number): string[] {
  const next = random(11);
  const paragraphs = [
    ...loadRetrievalSet('korquad').paragraphs.map((p) => p.text),
    ...loadRetrievalSet('xquad').paragraphs.map((p) => p.text),
  ];
  const pii = koreanPiiSet(500).map((sentence) => sentence.text);
  const pieces: string[] = [];
  let size = 0;
  while (size < bytes) {
    const piece =
      next() < 0.1
        ? pii[Math.floor(next() * pii.length)]!
        : paragraphs[Math.floor(next() * paragraphs.length)]!;
    pieces.push(piece);
    size += Buffer.byteLength(piece) + 1;
  }
  return pieces;
}

function mibPerSecond(bytes: number, ms: number): number {
  return bytes / MiB / (ms / 1000);
}

export interface SpeedResult {
  mib: number;
  keel: { all: number; pii: number; hap: number; injection: number };
  anchors: { naiveRegexes: number; atAnchoredEmail: number };
  latency2kb: { p50: number; p99: number; max: number; messages: number };
}

export function measureSpeed(totalMiB = Number(process.env.KEEL_BENCH_MIB ?? 50)): SpeedResult {
  const pieces = mixedText(totalMiB * MiB);
  // Detectors see documents of about 64 KiB, as ingestion and checks would send them.
  const documents: string[] = [];
  let current = '';
  for (const piece of pieces) {
    current += `${piece}\n`;
    if (current.length >= 32_768) {
      documents.push(current);
      current = '';
    }
  }
  if (current) documents.push(current);
  const bytes = documents.reduce((sum, document) => sum + Buffer.byteLength(document), 0);
  const whole = documents.join('');

  const pii = createPiiDetector();
  const hap = createHapDetector();
  const injection = createInjectionDetector();
  const once = (work: () => void) => {
    const start = performance.now();
    work();
    return performance.now() - start;
  };
  // Throughput: the median of three timed passes. One pass over 50 MiB takes about a second, and a
  // shared machine's pauses land in one pass, not all three.
  const time = (work: () => void) => [once(work), once(work), once(work)].sort((a, b) => a - b)[1]!;
  let sink = 0;
  // Warm up (compiled code, regex tiers) on the first 2 MiB, as a running server would be.
  for (const document of documents.slice(0, 64)) {
    const scope = createTextScope(document);
    sink += pii.detect(document, { scope }).length + hap.detect(document, { scope }).length;
    sink += injection.detect(document, { mode: 'document', scope }).length;
    sink += pii.detect(document).length + hap.detect(document).length;
    sink += injection.detect(document, { mode: 'document' }).length;
  }
  // The set as evaluate() runs it: every detector on each document, sharing one text scope.
  const allMs = time(() => {
    for (const document of documents) {
      const scope = createTextScope(document);
      sink += pii.detect(document, { scope }).length;
      sink += hap.detect(document, { scope }).length;
      sink += injection.detect(document, { mode: 'document', scope }).length;
    }
  });
  // Each detector alone, over all documents.
  const piiMs = time(() => {
    for (const document of documents) sink += pii.detect(document).length;
  });
  const hapMs = time(() => {
    for (const document of documents) sink += hap.detect(document).length;
  });
  const injectionMs = time(() => {
    for (const document of documents) sink += injection.detect(document, { mode: 'document' }).length;
  });

  const naive = [
    /[\w.+-]+@[\w-]+\.[\w.-]+/g,
    /(?:\+?\d{1,3}[ -]?)?\(?\d{2,4}\)?[ -]?\d{3,4}[ -]?\d{4}/g,
    /\b(?:\d[ -]?){13,19}\b/g,
  ];
  const naiveMs = time(() => {
    for (const pattern of naive) sink += (whole.match(pattern) ?? []).length;
  });
  const atMs = time(() => {
    for (let index = whole.indexOf('@'); index >= 0; index = whole.indexOf('@', index + 1)) {
      const left = whole.slice(Math.max(0, index - 64), index);
      if (/[\w.+-]+$/.test(left) && /^[\w-]+\.[\w.-]+/.test(whole.slice(index + 1, index + 256))) sink++;
    }
  });

  // 2 KB messages through the full default policy (PII mask, HAP and injection block).
  const policy = defaultPolicy().input;
  const messages: string[] = [];
  for (let start = 0; start + 2048 < whole.length && messages.length < 3000; start += 9_973) {
    let message = whole.slice(start, start + 2048);
    while (Buffer.byteLength(message) > 2048) message = message.slice(0, -1);
    messages.push(message);
  }
  for (const message of messages.slice(0, 200)) evaluate(message, policy, { direction: 'input' });
  const latencies = messages.map((message) =>
    once(() => {
      sink += evaluate(message, policy, { direction: 'input' }).decisions.length;
    }),
  );
  if (sink < 0) console.log(sink);
  return {
    mib: bytes / MiB,
    keel: {
      all: mibPerSecond(bytes, allMs),
      pii: mibPerSecond(bytes, piiMs),
      hap: mibPerSecond(bytes, hapMs),
      injection: mibPerSecond(bytes, injectionMs),
    },
    anchors: { naiveRegexes: mibPerSecond(bytes, naiveMs), atAnchoredEmail: mibPerSecond(bytes, atMs) },
    latency2kb: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      messages: latencies.length,
    },
  };
}
