/**
 * @module guardrails/onnx/onnx-ner-detector
 * An optional named-entity model for person, organisation and location names, when a user supplies
 * one: any token-classification export that @huggingface/transformers loads from a local directory
 * (`config.json`, `tokenizer.json`, `onnx/model.onnx`), with BIO labels such as B-PER, I-ORG, B-LOC.
 * Nothing is downloaded. Long texts are classified in windows; token words are located back in the
 * caller's text so spans keep exact offsets, invisible characters included.
 */
import path from 'node:path';
import type { DetectOptions, DetectorV1, Span } from '../../spec/detector.js';
import { stripWithMap } from '../text/normalize.js';
import { loadPipeline, modelVersion } from './load-pipeline.js';

interface TokenResult {
  entity: string;
  score: number;
  index: number;
  word: string;
}
type Classifier = (text: string) => Promise<TokenResult[]>;

const typeOf: Record<string, string> = {
  PER: 'PERSON',
  PERSON: 'PERSON',
  PS: 'PERSON',
  ORG: 'ORGANIZATION',
  OG: 'ORGANIZATION',
  LOC: 'LOCATION',
  LC: 'LOCATION',
  GPE: 'LOCATION',
};

const invisible = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/;
const WINDOW = 1200;

/** Windows of at most WINDOW characters, cut at whitespace. */
function windows(text: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + WINDOW);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start + WINDOW / 2) end = space;
    }
    out.push({ start, text: text.slice(start, end) });
    start = end;
  }
  return out;
}

export async function createOnnxNerDetector(options: { modelDir: string }): Promise<DetectorV1> {
  const modelDir = path.resolve(options.modelDir);
  const run = await loadPipeline('token-classification', modelDir, 'guardrails.nerModel');
  const classify: Classifier = async (text) => (await run(text)) as TokenResult[];
  const version = modelVersion(modelDir);
  return {
    specificationVersion: 'v1',
    name: 'onnx-ner',
    version,
    kind: 'pii',
    entityTypes: ['PERSON', 'ORGANIZATION', 'LOCATION'],
    async detect(text: string, detectOptions: DetectOptions = {}): Promise<Span[]> {
      if (!text.trim()) return [];
      const spans: Span[] = [];
      for (const window of windows(text)) {
        if (detectOptions.abortSignal?.aborted) break;
        if (!/[\p{L}]/u.test(window.text)) continue;
        const tokens = (await classify(window.text)).sort((a, b) => a.index - b.index);
        // Token words are found in the window without invisible characters, lowercased, then
        // mapped back to the caller's offsets.
        const stripped = stripWithMap(window.text, invisible);
        const view = stripped.text.toLowerCase();
        const at = (offset: number) => window.start + stripped.map[offset]!;
        let cursor = 0;
        let current: (Span & { scores: number[]; lastIndex: number }) | undefined;
        const close = () => {
          if (!current) return;
          const { scores, lastIndex: _last, ...span } = current;
          span.score =
            Math.round((scores.reduce((sum, value) => sum + value, 0) / scores.length) * 1000) / 1000;
          if (detectOptions.includeText) span.text = text.slice(span.start, span.end);
          spans.push(span);
          current = undefined;
        };
        for (const token of tokens) {
          const [prefix, label] = token.entity.includes('-')
            ? (token.entity.split('-', 2) as [string, string])
            : ['B', token.entity];
          const type = typeOf[label.toUpperCase()];
          const word = token.word.replace(/^##/, '').toLowerCase();
          const found = word ? view.indexOf(word, cursor) : -1;
          if (found < 0) continue;
          cursor = found + word.length;
          if (!type) {
            close();
            continue;
          }
          const start = at(found);
          const end = at(found + word.length - 1) + 1;
          const continues =
            current &&
            current.type === type &&
            (prefix === 'I' || token.word.startsWith('##')) &&
            token.index <= current.lastIndex + 1;
          if (continues && current) {
            current.end = end;
            current.scores.push(token.score);
            current.lastIndex = token.index;
          } else {
            close();
            current = {
              type,
              start,
              end,
              score: 0,
              detector: 'onnx-ner',
              version,
              reasons: ['model'],
              scores: [token.score],
              lastIndex: token.index,
            };
          }
        }
        close();
      }
      return spans.sort((a, b) => a.start - b.start);
    },
  };
}
