/**
 * @module guardrails/onnx/onnx-hap-classifier
 * An optional HAP classifier, when a user supplies one: any text-classification export that
 * @huggingface/transformers loads from a local directory, scoring each sentence. Labels are mapped
 * onto hate / abuse / profanity by name (hate, hateful → hate; abuse, offensive, insult, toxic →
 * abuse; profanity, obscene → profanity); anything else (none, neutral, clean) is no finding.
 */
import path from 'node:path';
import type { DetectOptions, DetectorV1, Span } from '../../spec/detector.js';
import { splitSentences } from '../text/sentences.js';
import { loadPipeline, modelVersion } from './load-pipeline.js';

const categoryOf = (label: string): 'hate' | 'abuse' | 'profanity' | undefined => {
  const name = label.toLowerCase();
  if (/^(?:non|not|no)[-_ ]|none|neutral|clean|normal/.test(name)) return undefined;
  if (/hate/.test(name)) return 'hate';
  if (/profan|obscen|swear/.test(name)) return 'profanity';
  if (/abus|offen|insult|toxic|threat/.test(name)) return 'abuse';
  return undefined;
};

/** Scores below this are not reported (policies set their own thresholds above it). */
const FLOOR = 0.3;

export async function createOnnxHapClassifier(options: { modelDir: string }): Promise<DetectorV1> {
  const modelDir = path.resolve(options.modelDir);
  const classify = await loadPipeline('text-classification', modelDir, 'guardrails.hapModel');
  const version = modelVersion(modelDir);
  return {
    specificationVersion: 'v1',
    name: 'onnx-hap',
    version,
    kind: 'hap',
    entityTypes: ['hate', 'abuse', 'profanity'],
    async detect(text: string, detectOptions: DetectOptions = {}): Promise<Span[]> {
      const sentences = splitSentences(text).filter((range) =>
        /[\p{L}]/u.test(text.slice(range.start, range.end)),
      );
      const spans: Span[] = [];
      for (let i = 0; i < sentences.length; i += 32) {
        if (detectOptions.abortSignal?.aborted) break;
        const batch = sentences.slice(i, i + 32);
        const results = (await classify(
          batch.map((range) => text.slice(range.start, range.end)),
          { top_k: null },
        )) as { label: string; score: number }[][];
        batch.forEach((range, j) => {
          const best = new Map<string, number>();
          for (const { label, score } of results[j] ?? []) {
            const category = categoryOf(label);
            if (category && score >= FLOOR && score > (best.get(category) ?? 0)) best.set(category, score);
          }
          for (const [type, score] of best)
            spans.push({
              type,
              start: range.start,
              end: range.end,
              score: Math.round(score * 1000) / 1000,
              detector: 'onnx-hap',
              version,
              reasons: ['model'],
              ...(detectOptions.includeText ? { text: text.slice(range.start, range.end) } : {}),
            });
        });
      }
      return spans;
    },
  };
}
