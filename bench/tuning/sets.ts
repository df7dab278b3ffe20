/**
 * Readers of the public sets the tuning benchmark uses, from ../shared/datasets (overridable with
 * KEEL_DATASETS): kocohub Korean hate speech (train/dev), KLUE NLI dev (Korean; no train split in
 * the snapshot, so a seeded 2/3 of the premises trains and the rest scores) and HateCheck (English; split by
 * template so no template's cases sit on both sides).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelledText } from '../../src/tuning/index.js';
import { seededRandom, shuffleInPlace } from '../../src/tuning/seeded-random.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const datasetsDir = process.env.KEEL_DATASETS ?? path.resolve(here, '../../../shared/datasets');

export interface BenchSet {
  name: string;
  train: LabelledText[];
  test: LabelledText[];
  /** The zero-shot question for the tiny model, and the labels it may answer. */
  prompt: (item: LabelledText) => string;
}

export function kocohub(): BenchSet | null {
  const dir = path.join(datasetsDir, 'hap-ko-kocohub-korean-hate-speech');
  if (!existsSync(path.join(dir, 'train.tsv'))) return null;
  const read = (file: string) =>
    readFileSync(path.join(dir, file), 'utf8')
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const cols = line.split('\t');
        return { text: cols[0] ?? '', label: (cols[3] ?? '').trim() === 'none' ? 'none' : 'hap' };
      });
  return {
    name: 'kocohub HAP (ko)',
    train: read('train.tsv'),
    test: read('dev.tsv'),
    prompt: (item) =>
      `Is this comment hateful or offensive? Answer hap or none.\nComment: ${item.text}\nAnswer:`,
  };
}

/** Premise and hypothesis, joined by a marker the n-gram featuriser keeps apart. */
export const NLI_JOIN = ' ⟂ ';

export function klueNli(): BenchSet | null {
  const file = path.join(datasetsDir, 'cls-ko-klue-nli-sts', 'klue-nli-v1.1_dev.json');
  if (!existsSync(file)) return null;
  const rows = JSON.parse(readFileSync(file, 'utf8')) as {
    premise: string;
    hypothesis: string;
    gold_label: string;
  }[];
  // Each premise comes with one hypothesis per label: split by premise, or the premise's n-grams
  // (seen in training with the other labels) would steer the head away from the right one.
  const premises = shuffleInPlace([...new Set(rows.map((r) => r.premise))].sort(), seededRandom(11));
  const trainPremises = new Set(premises.slice(0, Math.round((premises.length * 2) / 3)));
  const item = (r: (typeof rows)[number]) => ({
    text: `${r.premise}${NLI_JOIN}${r.hypothesis}`,
    label: r.gold_label,
  });
  const train = rows.filter((r) => trainPremises.has(r.premise)).map(item);
  const test = rows.filter((r) => !trainPremises.has(r.premise)).map(item);
  return {
    name: 'KLUE NLI (ko)',
    train,
    test,
    prompt: (item) => {
      const [premise, hypothesis] = item.text.split(NLI_JOIN);
      return `Premise: ${premise}\nHypothesis: ${hypothesis}\nDoes the premise entail the hypothesis? Answer entailment, neutral or contradiction.\nAnswer:`;
    },
  };
}

/** A small CSV reader (quoted fields with doubled quotes), enough for HateCheck's file. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

export function hateCheck(): BenchSet | null {
  const file = path.join(datasetsDir, 'hap-hatecheck', 'test_suite_cases.csv');
  if (!existsSync(file)) return null;
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = (name: string) => (header as string[]).indexOf(name);
  const [textAt, labelAt, templateAt] = [col('test_case'), col('label_gold'), col('templ_id')];
  const items = rows
    .filter((r) => r.length > labelAt)
    .map((r) => ({
      text: (r[textAt] ?? '').trim(),
      label: r[labelAt] as string,
      template: r[templateAt] ?? '',
    }));
  const templates = shuffleInPlace([...new Set(items.map((i) => i.template))].sort(), seededRandom(13));
  const held = new Set(templates.slice(0, Math.round(templates.length * 0.3)));
  const strip = ({ text, label }: { text: string; label: string }) => ({ text, label });
  return {
    name: 'HateCheck (en)',
    train: items.filter((i) => !held.has(i.template)).map(strip),
    test: items.filter((i) => held.has(i.template)).map(strip),
    prompt: (item) =>
      `Is this message hateful? Answer hateful or non-hateful.\nMessage: ${item.text}\nAnswer:`,
  };
}
