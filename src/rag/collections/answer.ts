/**
 * @module rag/collections/answer
 * Answers with verified citations. The answer template gets the retrieved passages numbered
 * [1]…[k]; the model cites them; each sentence of the answer is a claim checked against the
 * passages it cites (token overlap with Keel's analyser, or a judge model); unsupported claims are
 * marked. When retrieval does not cover the question the answer says it does not know instead of
 * calling the model. The passages are fitted to the model's context window first (lowest-ranked
 * dropped), and an answer that cites no passage is not reported as answered.
 */
import type { CollectionConfig } from '../../api/rag.js';
import type { LanguageModelPrompt } from '../../spec/language-model.js';
import { getAnalyzer } from '../analysis/analyzers.js';
import { splitSentences } from '../chunking/sentences.js';
import type { RetrievedChunk } from '../retrieval/retrieve.js';

const analyzer = getAnalyzer('multilingual-v1');

export const defaultTemplates = {
  en: `Answer the question using only the numbered passages below. Cite the passages that support each sentence with their numbers in square brackets, like [1] or [2][3]. If the passages do not contain the answer, say that you do not know.

Passages:
{{contexts}}

Question: {{question}}
Answer:`,
  ko: `아래 번호가 붙은 자료만 사용해 질문에 답하세요. 각 문장 끝에 근거가 된 자료 번호를 [1], [2][3]처럼 대괄호로 표시하세요. 자료에 답이 없으면 모른다고 답하세요.

자료:
{{contexts}}

질문: {{question}}
답변:`,
};

export const dontKnow = {
  en: "I don't know: the collection's documents do not seem to cover this question.",
  ko: '모르겠습니다. 컬렉션의 문서에서 이 질문에 대한 내용을 찾지 못했습니다.',
};

export type AnswerLanguage = 'ko' | 'en';

export function questionLanguage(question: string): AnswerLanguage {
  return analyzer.detectLanguage(question).language === 'ko' ? 'ko' : 'en';
}

/** Share of the question's distinct terms that occur in the passages (0 with no passages). */
export function retrievalSupport(question: string, contexts: readonly { text: string }[]): number {
  const terms = new Set(analyzer.analyze(question));
  if (!terms.size || !contexts.length) return 0;
  const found = new Set(contexts.flatMap((context) => analyzer.analyze(context.text)));
  let hit = 0;
  for (const term of terms) if (found.has(term)) hit++;
  return hit / terms.size;
}

/**
 * A token count that errs high when the model cannot count exactly: a byte-level tokenizer needs at
 * most one token per byte, and real vocabularies hold about three ASCII characters per token and
 * at most one non-ASCII character (a Hangul syllable is one to three).
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) ascii++;
    else if (code < 0xdc00 || code > 0xdfff) other++; // a surrogate pair counts once
  }
  return Math.ceil(ascii / 3) + other;
}

/** Tokens the chat template adds around a message (role markers, generation prompt). */
export const CHAT_OVERHEAD_TOKENS = 32;

export interface FittedContexts {
  /** The passages kept, in rank order (their markers do not change). */
  kept: RetrievedChunk[];
  /** Lower-ranked passages left out so the prompt and the answer fit the window. */
  dropped: { chunk: RetrievedChunk; rank: number; tokens: number }[];
  /** Tokens of the prompt as sent (with the passages kept). */
  promptTokens: number;
  /** The window the prompt had to fit, and how it was counted. */
  window: number | undefined;
  counted: 'tokenizer' | 'estimate';
}

/**
 * Keeps the highest-ranked passages whose prompt, plus `answerTokens` for the answer, fits the
 * model's context window; drops the rest from the bottom. `count` is the model's tokenizer when it
 * has one; otherwise `estimateTokens`. With no known window nothing is dropped.
 */
export async function fitContexts(
  question: string,
  contexts: readonly RetrievedChunk[],
  config: CollectionConfig,
  model: {
    window: number | undefined;
    answerTokens: number;
    count?: ((text: string) => Promise<number>) | undefined;
  },
): Promise<FittedContexts> {
  const counted = model.count ? 'tokenizer' : 'estimate';
  const count = model.count ?? (async (text: string) => estimateTokens(text));
  const promptText = (kept: readonly RetrievedChunk[]) => answerPromptText(question, kept, config);
  const total = await count(promptText(contexts));
  const fits = (tokens: number) =>
    model.window === undefined || tokens + model.answerTokens + CHAT_OVERHEAD_TOKENS <= model.window;
  if (fits(total))
    return { kept: [...contexts], dropped: [], promptTokens: total, window: model.window, counted };
  // Each passage's share of the prompt: its block (marker, source line, text) and the blank line before it.
  const shares: number[] = [];
  for (const [index, context] of contexts.entries()) shares.push(await count(passageBlock(context, index)));
  const kept = [...contexts];
  const dropped: FittedContexts['dropped'] = [];
  let tokens = total;
  while (kept.length && !fits(tokens)) {
    const index = kept.length - 1;
    const share = shares[index]! + 1;
    dropped.unshift({ chunk: kept.pop()!, rank: index + 1, tokens: share });
    tokens -= share;
  }
  // Separators and merges across blocks make the subtraction approximate: count what is sent.
  let promptTokens = await count(promptText(kept));
  while (kept.length && !fits(promptTokens)) {
    const index = kept.length - 1;
    dropped.unshift({ chunk: kept.pop()!, rank: index + 1, tokens: shares[index]! + 1 });
    promptTokens = await count(promptText(kept));
  }
  return { kept, dropped, promptTokens, window: model.window, counted };
}

function passageBlock(context: RetrievedChunk, index: number): string {
  const name = String(context.chunk.metadata?.document ?? context.chunk.documentId);
  const pages = context.chunk.pages?.length ? ` p.${context.chunk.pages.join(',')}` : '';
  return `[${index + 1}] (${name}${pages})\n${context.chunk.text}`;
}

/** The answer prompt's text: the template with the numbered passages and the question filled in. */
export function answerPromptText(
  question: string,
  contexts: readonly RetrievedChunk[],
  config: CollectionConfig,
  template?: string,
): string {
  const language = questionLanguage(question);
  const body = template ?? config.answer.template ?? defaultTemplates[language];
  const passages = contexts.map(passageBlock).join('\n\n');
  return body.replaceAll('{{contexts}}', passages).replaceAll('{{question}}', question);
}

export function renderAnswerPrompt(
  question: string,
  contexts: readonly RetrievedChunk[],
  config: CollectionConfig,
  template?: string,
): LanguageModelPrompt {
  const content = answerPromptText(question, contexts, config, template);
  return { type: 'chat', messages: [{ role: 'user', content }] };
}

export interface Claim {
  text: string;
  citations: number[];
  supported: boolean;
  support: number;
}

const marker = /\[(\d{1,3})\]/g;

/** The answer's sentences with the passage numbers each cites ([2][3] or [2, 3]). */
export function claimsOf(answer: string): { text: string; citations: number[] }[] {
  const normalised = answer.replace(/\[(\d{1,3}(?:\s*,\s*\d{1,3})+)\]/g, (_all, list: string) =>
    list
      .split(',')
      .map((n) => `[${n.trim()}]`)
      .join(''),
  );
  return splitSentences(normalised)
    .map((span) => normalised.slice(span.start, span.end).trim())
    .filter((sentence) => sentence.replace(marker, '').trim().length > 0)
    .map((sentence) => ({
      text: sentence,
      citations: [...new Set([...sentence.matchAll(marker)].map((match) => Number(match[1])))],
    }));
}

/** Share of the claim's terms found in the passage. */
export function overlapSupport(claim: string, passage: string): number {
  const terms = new Set(analyzer.analyze(claim.replace(marker, '')));
  if (!terms.size) return 1;
  const found = new Set(analyzer.analyze(passage));
  let hit = 0;
  for (const term of terms) if (found.has(term)) hit++;
  return hit / terms.size;
}

export const SUPPORT_THRESHOLD = 0.5;

/**
 * Checks each claim against the passages it cites. A claim citing nothing, or a number with no
 * passage, is unsupported; `judge` answers whether a passage supports a claim (model-based check).
 */
export async function verifyClaims(
  answer: string,
  contexts: readonly { text: string }[],
  mode: CollectionConfig['answer']['verify'],
  judge?: (claim: string, passage: string) => Promise<boolean>,
): Promise<Claim[]> {
  const claims = claimsOf(answer);
  const out: Claim[] = [];
  for (const claim of claims) {
    const passages = claim.citations
      .map((n) => contexts[n - 1])
      .filter((p): p is { text: string } => Boolean(p));
    if (mode === 'off') {
      out.push({ ...claim, supported: true, support: 1 });
      continue;
    }
    if (!passages.length || passages.length !== claim.citations.length) {
      out.push({ ...claim, supported: false, support: 0 });
      continue;
    }
    const support = Math.max(...passages.map((passage) => overlapSupport(claim.text, passage.text)));
    let supported = support >= SUPPORT_THRESHOLD;
    if (mode === 'judge' && judge) {
      supported = false;
      for (const passage of passages)
        if (await judge(claim.text.replace(marker, ''), passage.text)) supported = true;
    }
    out.push({ ...claim, supported, support: Math.round(support * 1000) / 1000 });
  }
  return out;
}

export function judgePrompt(claim: string, passage: string): LanguageModelPrompt {
  return {
    type: 'chat',
    messages: [
      {
        role: 'user',
        content: `Passage:\n${passage}\n\nClaim: ${claim}\n\nDoes the passage support the claim? Answer only "yes" or "no".`,
      },
    ],
  };
}
