/**
 * Token-tagger benchmark: NER heads (logistic regression on hashed features of each token's
 * neighbourhood) trained in-process, scored at the span level (an entity counts when its type
 * and both edges match; CoNLL style), beside the majority baseline (every token O, span F1 0).
 *   - WNUT-17 (English social media): train on the dev split, score on the annotated test split.
 *   - KLUE NER (Korean, character-level BIO): only the dev split is in the snapshot, so a seeded
 *     4/5 of its sentences trains and the rest scores.
 * With `--embedding`, each set is also trained on embedding features (each token's and its window's
 * vectors side by side) from the offline `hashing:ngram-v1` model, the registry's built-in one.
 * Reads ../shared/datasets (KEEL_DATASETS overrides). Prints a table and one JSON line.
 *
 *   npx tsx bench/tuning/taggers.ts [--embedding] [--only=wnut17|klue_ner]
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { HashingEmbeddingModel } from '../../src/models/providers/hashing/index.js';
import {
  charNgramSpec,
  type Embedder,
  type FeatureSpec,
  spanReport,
  type TaggedSentence,
  type TaggerOptions,
  tagTokens,
  trainTagger,
} from '../../src/tuning/index.js';
import { seededRandom, shuffleInPlace } from '../../src/tuning/seeded-random.js';
import { datasetsDir } from './sets.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const f3 = (v: number) => Number(v.toFixed(3));

/** Token<TAB>tag lines, sentences separated by blank lines; `##` lines are comments. */
function readConll(file: string): TaggedSentence[] {
  const sentences: TaggedSentence[] = [];
  let current: TaggedSentence = { tokens: [], tags: [] };
  const end = () => {
    if (current.tokens.length > 0) sentences.push(current);
    current = { tokens: [], tags: [] };
  };
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('##')) continue;
    if (line === '') {
      end();
      continue;
    }
    const tab = line.lastIndexOf('\t');
    if (tab < 0) continue;
    current.tokens.push(line.slice(0, tab));
    current.tags.push(line.slice(tab + 1).trim());
  }
  end();
  return sentences;
}

interface TaggerSet {
  name: string;
  train: TaggedSentence[];
  test: TaggedSentence[];
  options: TaggerOptions;
}

function wnut(): TaggerSet | null {
  const dir = path.join(datasetsDir, 'ner-en-wnut17');
  if (!existsSync(path.join(dir, 'emerging.test.annotated.txt'))) return null;
  return {
    name: 'WNUT-17 (en), dev → test',
    train: readConll(path.join(dir, 'emerging.dev.conll.txt')),
    test: readConll(path.join(dir, 'emerging.test.annotated.txt')),
    options: { tokenization: 'word', window: 2 },
  };
}

function klue(): TaggerSet | null {
  const file = path.join(datasetsDir, 'ner-ko-klue-ner', 'klue-ner-v1.1_dev.tsv');
  if (!existsSync(file)) return null;
  const all = shuffleInPlace(readConll(file), seededRandom(17));
  const cut = Math.round(all.length * 0.8);
  return {
    name: 'KLUE NER (ko, characters), 4/5 → 1/5 of dev',
    train: all.slice(0, cut),
    test: all.slice(cut),
    options: { tokenization: 'char', window: 3 },
  };
}

const row = (...cells: string[]) =>
  log(
    `| ${cells[0]?.padEnd(44)} | ${cells
      .slice(1)
      .map((c) => c.padStart(9))
      .join(' | ')} |`,
  );

/** The registry's offline embedding model, called as the registry's `embed` calls it. */
const hashingModel = new HashingEmbeddingModel();
const hashingEmbedder: Embedder = async (_model, texts) =>
  (await hashingModel.doEmbed({ values: texts })).embeddings;

async function measure(set: TaggerSet, features: FeatureSpec = charNgramSpec(), embedder?: Embedder) {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const trained = await trainTagger(set.train, features, { seed: 7, ...set.options }, { embedder });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  const predicted: string[][] = [];
  for (const s of set.test)
    predicted.push((await tagTokens(trained.model, s.tokens, embedder)).map((t) => t.tag));
  const report = spanReport(
    set.test.map((s) => s.tags),
    predicted,
  );
  const tokens = set.train.reduce((n, s) => n + s.tokens.length, 0);
  return { trained, report, seconds, tokens, peakMiB: (peak - before) / 2 ** 20 };
}

async function main() {
  const load = loadavg()[0]?.toFixed(1);
  log(`load average (1 min) at start: ${load}; timings on a shared machine move`);
  const figures: Record<string, unknown> = { bench: 'tuning-taggers', load_1m: Number(load) };
  for (const [key, set] of [
    ['wnut17', wnut()],
    ['klue_ner', klue()],
  ] as const) {
    const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
    if (only && only !== key) continue;
    if (!set) {
      log(`dataset missing for ${key}; not measured`);
      continue;
    }
    const m = await measure(set);
    log(
      `\n## ${set.name}: train ${set.train.length} sentences (${m.tokens} tokens), test ${set.test.length}`,
    );
    row('tagger', 'span P', 'span R', 'span F1', 'epochs', 's/10k tok', 'MiB');
    row('majority (all O)', '0.000', '0.000', '0.000', '-', '-', '-');
    row(
      `LR tagger, 2^18 hashed, window ${set.options.window}`,
      m.report.precision.toFixed(3),
      m.report.recall.toFixed(3),
      m.report.f1.toFixed(3),
      String(m.trained.bestEpoch),
      ((m.seconds * 10_000) / m.tokens).toFixed(2),
      m.peakMiB.toFixed(0),
    );
    for (const [type, t] of Object.entries(m.report.perType)) {
      row(
        `  ${type}`,
        t.precision.toFixed(3),
        t.recall.toFixed(3),
        t.f1.toFixed(3),
        `n=${t.support}`,
        '',
        '',
      );
    }
    const embedded = process.argv.includes('--embedding')
      ? await measure(set, { kind: 'embedding', model: 'hashing:ngram-v1', dimensions: 0 }, hashingEmbedder)
      : null;
    if (embedded) {
      row(
        `LR tagger, hashing:ngram-v1 token+window`,
        embedded.report.precision.toFixed(3),
        embedded.report.recall.toFixed(3),
        embedded.report.f1.toFixed(3),
        String(embedded.trained.bestEpoch),
        ((embedded.seconds * 10_000) / embedded.tokens).toFixed(2),
        embedded.peakMiB.toFixed(0),
      );
    }
    figures[key] = {
      ...(embedded
        ? {
            embedding_hashing_ngram_v1: {
              span_f1: f3(embedded.report.f1),
              span_precision: f3(embedded.report.precision),
              span_recall: f3(embedded.report.recall),
              train_s_per_10k_tokens: f3((embedded.seconds * 10_000) / embedded.tokens),
              peak_rss_delta_mib: Math.round(embedded.peakMiB),
            },
          }
        : {}),
      train_sentences: set.train.length,
      test_sentences: set.test.length,
      span_precision: f3(m.report.precision),
      span_recall: f3(m.report.recall),
      span_f1: f3(m.report.f1),
      validation_span_f1: f3(m.trained.spans.f1),
      per_type_f1: Object.fromEntries(Object.entries(m.report.perType).map(([t, v]) => [t, f3(v.f1)])),
      best_epoch: m.trained.bestEpoch,
      train_s_per_10k_tokens: f3((m.seconds * 10_000) / m.tokens),
      peak_rss_delta_mib: Math.round(m.peakMiB),
    };
  }
  log(JSON.stringify(figures));
}

await main();
