/**
 * @module bench/guardrails/quality
 * Detection quality on the public sets in the shared datasets folder: PII (presidio-research
 * synthetic sentences, presidio's recognizer test vectors, the Korean KR_* vectors and Keel's
 * synthetic Korean set), HAP (kocohub Korean hate speech dev, HateCheck) and prompt injection
 * (llm-guard vectors, BIPIA attacks inside BIPIA contexts, KorQuAD/XQuAD questions as benign).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createHapDetector } from '../../src/guardrails/hap/hap-detector.js';
import { createInjectionDetector } from '../../src/guardrails/injection/injection-detector.js';
import { createPiiDetector } from '../../src/guardrails/pii/pii-detector.js';
import { datasetsDir, loadRetrievalSet } from '../rag/datasets.js';
import { random } from '../rag/metrics.js';
import { koreanPiiSet } from './korean-pii-set.js';
import { type Counts, emptyCounts, matchSpans, prf, round } from './scoring.js';

const pii = createPiiDetector();
const hap = createHapDetector();
const injection = createInjectionDetector();
const THRESHOLD = 0.5;

function file(folder: string, name: string): string {
  return path.join(datasetsDir(), folder, name);
}
const jsonl = (folder: string, name: string) =>
  readFileSync(file(folder, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);

export interface EntityRow {
  set: string;
  entity: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

function rows(set: string, counts: Map<string, Counts>): EntityRow[] {
  return [...counts.entries()]
    .map(([entity, value]) => ({ set, entity, ...roundAll(prf(value)) }))
    .sort((a, b) => b.support - a.support);
}
function roundAll<T extends Record<string, number>>(value: T): T {
  return Object.fromEntries(Object.entries(value).map(([key, number]) => [key, round(number)])) as T;
}

const predictedPii = (text: string) => pii.detect(text).filter((span) => span.score >= THRESHOLD);

/** presidio-research synthetic English sentences (Faker-filled templates with gold spans). */
export function presidioSynth(): EntityRow[] {
  const data = JSON.parse(
    readFileSync(file('pii-presidio-research-synth', 'synth_dataset_v2.json'), 'utf8'),
  ) as {
    full_text: string;
    spans: { entity_type: string; start_position: number; end_position: number }[];
  }[];
  const rename: Record<string, string> = { GPE: 'LOCATION' };
  const scored = new Set([
    'EMAIL_ADDRESS',
    'CREDIT_CARD',
    'IBAN_CODE',
    'PHONE_NUMBER',
    'US_SSN',
    'IP_ADDRESS',
    'PERSON',
    'ORGANIZATION',
    'LOCATION',
    'STREET_ADDRESS',
  ]);
  const counts = new Map<string, Counts>();
  for (const row of data) {
    const gold = row.spans.map((span) => ({
      type: rename[span.entity_type] ?? span.entity_type,
      start: span.start_position,
      end: span.end_position,
    }));
    matchSpans(gold, predictedPii(row.full_text), scored, counts);
  }
  return rows('presidio-research synth (en)', counts);
}

const vectorEntity: Record<string, string> = {
  'test_email_recognizer.py': 'EMAIL_ADDRESS',
  'test_credit_card_recognizer.py': 'CREDIT_CARD',
  'test_iban_recognizer.py': 'IBAN_CODE',
  'test_phone_recognizer.py': 'PHONE_NUMBER',
  'test_us_ssn_recognizer.py': 'US_SSN',
  'test_ip_recognizer.py': 'IP_ADDRESS',
  'test_url_recognizer.py': 'URL',
  'test_kr_rrn_recognizer.py': 'KR_RRN',
  'test_kr_frn_recognizer.py': 'KR_FRN',
  'test_kr_brn_recognizer.py': 'KR_BRN',
  'test_kr_passport_recognizer.py': 'KR_PASSPORT',
  'test_kr_driver_license_recognizer.py': 'KR_DRIVER_LICENSE',
};

export interface VectorRow {
  set: string;
  entity: string;
  positives: number;
  found: number;
  negatives: number;
  flagged: number;
  flaggedAboveContext: number;
}

/**
 * Recognizer test vectors: a positive is found when a span of the entity overlaps each expected
 * position (any score: the vectors encode pattern-level scores such as 0.05); a negative is
 * flagged when a span of the entity scores ≥ 0.5.
 */
function scoreVectors(
  set: string,
  cases: { entity: string; text: string; positions: number[][]; expected: number }[],
) {
  const byEntity = new Map<string, VectorRow>();
  const failures: string[] = [];
  for (const item of cases) {
    let row = byEntity.get(item.entity);
    if (!row) {
      row = {
        set,
        entity: item.entity,
        positives: 0,
        found: 0,
        negatives: 0,
        flagged: 0,
        flaggedAboveContext: 0,
      };
      byEntity.set(item.entity, row);
    }
    const spans = pii.detect(item.text).filter((span) => span.type === item.entity);
    if (item.expected > 0) {
      row.positives++;
      const positions = item.positions.length ? item.positions : [[0, item.text.length]];
      const ok = positions.every(([start, end]) =>
        spans.some((span) => span.start < end! && span.end > start!),
      );
      if (ok) row.found++;
      else failures.push(`${item.entity} missed: ${JSON.stringify(item.text)}`);
    } else {
      row.negatives++;
      const high = spans.filter((span) => span.score >= THRESHOLD);
      if (high.length) {
        row.flagged++;
        if (high.some((span) => (span.baseScore ?? span.score) < THRESHOLD)) row.flaggedAboveContext++;
        failures.push(`${item.entity} flagged: ${JSON.stringify(item.text)}`);
      }
    }
  }
  return { rows: [...byEntity.values()], failures };
}

export function presidioVectors() {
  const cases: { entity: string; text: string; positions: number[][]; expected: number }[] = [];
  for (const row of jsonl('pii-presidio-recognizer-testvectors', 'presidio_recognizer_cases.jsonl')) {
    const source = String(row.source_file).split('/').pop()!;
    const entity = vectorEntity[source];
    if (!entity || entity.startsWith('KR_')) continue;
    const text = (row.text ?? row.iban) as string | undefined;
    if (typeof text !== 'string' || typeof row.expected_len !== 'number') continue;
    const positions = (row.expected_positions ?? row.expected_res ?? []) as number[][];
    cases.push({ entity, text, positions, expected: row.expected_len });
  }
  return scoreVectors('presidio vectors (en)', cases);
}

export function koreanVectors() {
  const cases = jsonl('pii-ko-presidio-kr-testvectors', 'presidio_kr_recognizer_cases.jsonl').map((row) => ({
    entity: String(row.entity),
    text: String(row.text),
    positions: (row.expected_positions ?? []) as number[][],
    expected: Number(row.expected_len),
  }));
  return scoreVectors('presidio KR vectors', cases);
}

export function koreanSynthetic(): EntityRow[] {
  const counts = new Map<string, Counts>();
  const sentences = koreanPiiSet();
  const scored = new Set(sentences.flatMap((sentence) => sentence.spans.map((span) => span.type)));
  for (const sentence of sentences) matchSpans(sentence.spans, predictedPii(sentence.text), scored, counts);
  return rows('Keel synthetic Korean', counts);
}

// HAP ------------------------------------------------------------------------------------------

const hapFlag = (text: string) => hap.detect(text).some((span) => span.score >= THRESHOLD);
/** HateCheck measures hate: the `hate` category alone (profanity and abuse are HAP's other two letters). */
const hateFlag = (text: string) =>
  hap.detect(text).some((span) => span.type === 'hate' && span.score >= THRESHOLD);

export interface BinaryResult {
  set: string;
  precision: number;
  recall: number;
  f1: number;
  fpr: number;
  positives: number;
  negatives: number;
}

export function binary(
  set: string,
  items: { text: string; positive: boolean }[],
  flag: (text: string) => boolean,
) {
  const counts = emptyCounts();
  let negatives = 0;
  let falsePositives = 0;
  for (const item of items) {
    const flagged = flag(item.text);
    if (item.positive) {
      if (flagged) counts.tp++;
      else counts.fn++;
    } else {
      negatives++;
      if (flagged) {
        counts.fp++;
        falsePositives++;
      }
    }
  }
  const scores = prf(counts);
  return {
    set,
    precision: round(scores.precision),
    recall: round(scores.recall),
    f1: round(scores.f1),
    fpr: round(negatives ? falsePositives / negatives : 0),
    positives: counts.tp + counts.fn,
    negatives,
  } satisfies BinaryResult;
}

export function kocohub(): BinaryResult {
  const lines = readFileSync(file('hap-ko-kocohub-korean-hate-speech', 'dev.tsv'), 'utf8').trim().split('\n');
  const items = lines.slice(1).map((line) => {
    const columns = line.split('\t');
    return { text: columns[0]!, positive: columns[3] !== 'none' };
  });
  return binary('kocohub dev (ko)', items, hapFlag);
}

/** A small CSV reader for HateCheck's quoted fields. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field);
      out.push(row);
      row = [];
      field = '';
    } else if (char !== '\r') field += char;
  }
  if (field || row.length) out.push([...row, field]);
  return out;
}

export function hatecheck() {
  const [header, ...data] = parseCsv(readFileSync(file('hap-hatecheck', 'test_suite_cases.csv'), 'utf8'));
  const column = (name: string) => header!.indexOf(name);
  const [fn, text, label] = [column('functionality'), column('test_case'), column('label_gold')];
  const items = data
    .filter((row) => row.length > label)
    .map((row) => ({ functionality: row[fn]!, text: row[text]!, positive: row[label] === 'hateful' }));
  const overall = binary('HateCheck (en), hate category', items, hateFlag);
  const anyHap = binary('HateCheck (en), any HAP category', items, hapFlag);
  const groups = new Map<string, { total: number; correct: number; hateful: boolean }>();
  for (const item of items) {
    const group = groups.get(item.functionality) ?? { total: 0, correct: 0, hateful: item.positive };
    group.total++;
    if (hateFlag(item.text) === item.positive) group.correct++;
    groups.set(item.functionality, group);
  }
  const functionalities = [...groups.entries()].map(([name, group]) => ({
    functionality: name,
    label: group.hateful ? 'hateful' : 'non-hateful',
    accuracy: round(group.correct / group.total),
    cases: group.total,
  }));
  return { overall, anyHap, functionalities };
}

// Injection ------------------------------------------------------------------------------------

const injectionFlag = (mode: 'prompt' | 'document') => (text: string) =>
  injection.detect(text, { mode }).some((span) => span.score >= 0.7);

function tagChars(text: string): string {
  return [...text].map((char) => String.fromCodePoint(0xe0000 + char.codePointAt(0)!)).join('');
}

export function llmGuard(): BinaryResult {
  const items: { text: string; positive: boolean }[] = [];
  for (const name of ['llm_guard_input_prompt_injection.jsonl', 'llm_guard_input_invisible_text.jsonl']) {
    for (const row of jsonl('injection-llm-guard-testvectors', name)) {
      const prompt = String(row.prompt).replace(
        /<expr:convert_to_tag_chars\('(.*?)'\)>/g,
        (_m, inner: string) => tagChars(inner),
      );
      if (!prompt) continue;
      items.push({ text: prompt, positive: row.expected_valid === false });
    }
  }
  return binary('llm-guard vectors (en)', items, injectionFlag('prompt'));
}

function attacks(name: string): string[] {
  const data = JSON.parse(readFileSync(file('injection-bipia', name), 'utf8')) as Record<string, string[]>;
  return Object.values(data).flat();
}

export interface BipiaItem {
  text: string;
  positive: boolean;
  /** The user's task on this context (BIPIA's question; a fixed request for code contexts). */
  question: string;
}

/**
 * BIPIA: each attack string inserted into a context of its task (text attacks into emails and
 * tables, code attacks into code questions) at the start, middle or end; clean contexts are the
 * negatives. Seeded, so every run builds the same texts.
 */
export function bipiaTasks(): { task: string; contexts: number; items: BipiaItem[] }[] {
  const next = random(7);
  const contexts = (name: string, key: string) =>
    jsonl('injection-bipia', name).map((row) => {
      const value = row[key];
      const question = typeof row.question === 'string' ? row.question : 'Fix the error in this code.';
      return { text: Array.isArray(value) ? value.join('\n') : String(value ?? ''), question };
    });
  const tasks = [
    {
      task: 'email',
      contexts: contexts('email_test.jsonl', 'context'),
      attacks: attacks('text_attack_test.json'),
    },
    {
      task: 'table',
      contexts: contexts('table_test.jsonl', 'context'),
      attacks: attacks('text_attack_test.json'),
    },
    {
      task: 'code',
      contexts: contexts('code_test.jsonl', 'context'),
      attacks: attacks('code_attack_test.json'),
    },
  ];
  return tasks.map((task) => {
    const items: BipiaItem[] = task.contexts.map((context) => ({
      text: context.text,
      positive: false,
      question: context.question,
    }));
    for (const attack of task.attacks) {
      const context = task.contexts[Math.floor(next() * task.contexts.length)]!;
      const where = Math.floor(next() * 3);
      const text = context.text;
      const cut = where === 0 ? 0 : where === 2 ? text.length : text.lastIndexOf('\n', text.length >> 1) + 1;
      items.push({
        text: `${text.slice(0, cut)}\n${attack}\n${text.slice(cut)}`,
        positive: true,
        question: context.question,
      });
    }
    return { task: task.task, contexts: task.contexts.length, items };
  });
}

/** BIPIA scanned in document mode, as at RAG ingestion: recall on attacks, false positives on clean contexts. */
export function bipia(): {
  attacks: BinaryResult;
  byTask: { task: string; recall: number; cleanFpr: number; contexts: number }[];
} {
  const all: { text: string; positive: boolean }[] = [];
  const byTask = [];
  const flag = injectionFlag('document');
  for (const task of bipiaTasks()) {
    const result = binary(task.task, task.items, flag);
    byTask.push({ task: task.task, recall: result.recall, cleanFpr: result.fpr, contexts: task.contexts });
    all.push(...task.items);
  }
  return { attacks: binary('BIPIA attacks in contexts', all, flag), byTask };
}

export function benignQuestions(): { set: string; fpr: number; questions: number } {
  const flag = injectionFlag('prompt');
  const questions = [...loadRetrievalSet('korquad').questions, ...loadRetrievalSet('xquad').questions];
  const flagged = questions.filter((question) => flag(question.text)).length;
  return {
    set: 'KorQuAD + XQuAD questions',
    fpr: round(flagged / questions.length, 4),
    questions: questions.length,
  };
}
