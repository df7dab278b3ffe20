/**
 * @module bench/guardrails/indirect
 * Indirect prompt injection through the default policy, the ways retrieved content reaches a
 * model: a document quoted in the user's message (as red-team model targets and pasted e-mails
 * send it), a RAG passage screened at answer time (`screenDocuments`), and a tool result. Sets:
 * BIPIA's attacks in its e-mail, table and code contexts (clean contexts are the benign side),
 * the synthetic Korean set (`korean-injection-set.ts`), Keel's own red-team indirect probes (their
 * contexts; Korean and English), and KorQuAD/XQuAD paragraphs as benign documents. Speed: µs per
 * KB of the injection detector in document mode, and what a call without a policy pays.
 */
import { performance } from 'node:perf_hooks';
import { builtinProbes } from '../../src/evals/red-team/probe-sets.js';
import { modelPrompt } from '../../src/evals/red-team/red-team-target.js';
import { screenDocuments } from '../../src/guardrails/document-screen.js';
import { createInjectionDetector } from '../../src/guardrails/injection/injection-detector.js';
import { defaultPolicy } from '../../src/guardrails/policy.js';
import { guardPrompt } from '../../src/guardrails/request-guard.js';
import type { LanguageModelPrompt } from '../../src/spec/language-model.js';
import { loadRetrievalSet } from '../rag/datasets.js';
import { koreanInjectionSet } from './korean-injection-set.js';
import { type BinaryResult, binary, bipiaTasks } from './quality.js';
import { round } from './scoring.js';

const policy = defaultPolicy().input;
const key = Buffer.from('bench');
const injection = createInjectionDetector();

interface Item {
  text: string;
  positive: boolean;
  question: string;
  language: 'en' | 'ko';
}

/** The red-team model target's prompt: the context quoted in the user's message, then the task. */
function quotedPrompt(item: Item): LanguageModelPrompt {
  return modelPrompt({
    id: 'bench',
    category: 'indirect_injection',
    language: item.language,
    attack: item.question,
    context: item.text,
    detector: { type: 'marker', values: ['-'] },
  });
}

function toolPrompt(item: Item): LanguageModelPrompt {
  return {
    type: 'chat',
    messages: [
      { role: 'user', content: item.question },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'fetch', arguments: '{}' }] },
      { role: 'tool', content: item.text, toolCallId: 'c1' },
    ],
  };
}

/** Blocked by the injection rules (the policy's PII and HAP rules run too, but are not counted here). */
async function injectionBlocks(prompt: LanguageModelPrompt): Promise<boolean> {
  const guarded = await guardPrompt(prompt, policy, key);
  return guarded.decisions.some(
    (decision) => decision.detector === 'injection' && decision.action === 'block',
  );
}

const paths = {
  quoted: (item: Item) => injectionBlocks(quotedPrompt(item)),
  rag: async (item: Item) => screenDocuments([item.text], policy).some((entry) => entry.blocked),
  tool: (item: Item) => injectionBlocks(toolPrompt(item)),
} as const;
export type IndirectPath = keyof typeof paths;

async function through(set: string, items: Item[], path: IndirectPath): Promise<BinaryResult> {
  const verdicts: boolean[] = [];
  for (const item of items) verdicts.push(await paths[path](item));
  // Items by position, so equal texts keep their own verdicts.
  const indexed = items.map((item, index) => ({ text: String(index), positive: item.positive }));
  return binary(set, indexed, (index) => verdicts[Number(index)]!);
}

export interface IndirectRow {
  set: string;
  path: IndirectPath;
  recall: number | null;
  fpr: number | null;
  positives: number;
  negatives: number;
}

function sets(): { name: string; items: Item[] }[] {
  const bipia = bipiaTasks().map((task) => ({
    name: `BIPIA ${task.task} (en)`,
    items: task.items.map((item) => ({ ...item, language: 'en' as const })),
  }));
  const korean = koreanInjectionSet().map((item) => ({
    text: item.text,
    positive: item.positive,
    question: '이 메일을 요약해 주세요.',
    language: 'ko' as const,
  }));
  const probes = builtinProbes().filter((probe) => probe.category === 'indirect_injection' && probe.context);
  const keel = (language: 'en' | 'ko') =>
    probes
      .filter((probe) => probe.language === language)
      .map((probe) => ({ text: probe.context!, positive: true, question: probe.attack, language }));
  const paragraphs = (name: 'korquad' | 'xquad', language: 'en' | 'ko') =>
    loadRetrievalSet(name).paragraphs.map((paragraph) => ({
      text: paragraph.text,
      positive: false,
      question: language === 'ko' ? '이 글을 요약해 주세요.' : 'Summarise this passage.',
      language,
    }));
  return [
    ...bipia,
    { name: 'Korean e-mails, synthetic (ko)', items: korean },
    { name: 'Keel red-team indirect probes (en)', items: keel('en') },
    { name: 'Keel red-team indirect probes (ko)', items: keel('ko') },
    { name: 'KorQuAD paragraphs, benign (ko)', items: paragraphs('korquad', 'ko') },
    { name: 'XQuAD paragraphs, benign (en)', items: paragraphs('xquad', 'en') },
  ];
}

/** Every set through every path, plus BIPIA as a whole per path. */
export async function indirectThroughPolicy(): Promise<{
  rows: IndirectRow[];
  bipia: Record<IndirectPath, IndirectRow>;
}> {
  const rows: IndirectRow[] = [];
  const all = sets();
  const bipiaItems = all.filter((set) => set.name.startsWith('BIPIA')).flatMap((set) => set.items);
  const bipia = {} as Record<IndirectPath, IndirectRow>;
  for (const path of Object.keys(paths) as IndirectPath[]) {
    for (const set of all) rows.push(row(set.name, path, await through(set.name, set.items, path)));
    bipia[path] = row('BIPIA, all tasks (en)', path, await through('BIPIA', bipiaItems, path));
  }
  return { rows, bipia };
}

function row(set: string, path: IndirectPath, result: BinaryResult): IndirectRow {
  return {
    set,
    path,
    recall: result.positives ? result.recall : null,
    fpr: result.negatives ? result.fpr : null,
    positives: result.positives,
    negatives: result.negatives,
  };
}

/**
 * Microseconds per KB of the injection detector in document mode (BIPIA contexts, KorQuAD
 * paragraphs), and of a RAG answer's screen when the call has no policy (it reads nothing).
 */
export function indirectSpeed(): { usPerKb: { bipia: number; korquad: number }; noPolicyNsPerCall: number } {
  const measure = (texts: string[]) => {
    const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    const passes: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      const started = performance.now();
      for (const text of texts) injection.detect(text, { mode: 'document' });
      passes.push(performance.now() - started);
    }
    passes.sort((a, b) => a - b);
    return round((passes[1]! * 1000) / (bytes / 1024), 2);
  };
  const bipia = bipiaTasks().flatMap((task) => task.items.map((item) => item.text));
  const korquad = loadRetrievalSet('korquad').paragraphs.map((paragraph) => paragraph.text);
  const passages = korquad.slice(0, 5);
  const calls = 100_000;
  const started = performance.now();
  for (let call = 0; call < calls; call++) screenDocuments(passages, undefined);
  const noPolicyNsPerCall = round(((performance.now() - started) * 1e6) / calls, 1);
  return { usPerKb: { bipia: measure(bipia), korquad: measure(korquad) }, noPolicyNsPerCall };
}
