/**
 * @module prompts/structured-output
 * How a template's JSON schema is enforced on a model. Models that decode under a grammar
 * (llama.cpp) or accept a schema natively (OpenAI-compatible `response_format`) get it as
 * `responseFormat`; the others are told the schema in the prompt and their answer is validated
 * after the fact, with one retry that shows the model what was wrong. The instructions follow the
 * prompt's language (Korean or English).
 */
import type { Issue } from '../core/errors.js';
import type { JSONSchema } from '../spec/json-schema.js';
import type { LanguageModelPrompt, LanguageModelV1, ResponseFormat } from '../spec/language-model.js';
import { promptText } from './render-template.js';

export type StructuredStrategy = 'grammar' | 'native' | 'validated' | 'none';

export function structuredStrategy(
  model: LanguageModelV1,
  schema: JSONSchema | undefined,
): StructuredStrategy {
  if (!schema) return 'none';
  const capability = model.capabilities.structuredOutput;
  return capability === 'none' ? 'validated' : capability;
}

export function responseFormatFor(
  strategy: StructuredStrategy,
  schema: JSONSchema | undefined,
  name: string | undefined,
): ResponseFormat | undefined {
  if (!schema || (strategy !== 'grammar' && strategy !== 'native')) return undefined;
  return {
    type: 'json',
    schema,
    ...(name ? { name: name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) } : {}),
  };
}

/** True when the text is mostly Korean, judged by Hangul against Latin letters. */
export function isKorean(text: string): boolean {
  let hangul = 0;
  let latin = 0;
  for (const char of text) {
    if (char >= '가' && char <= '힣') hangul++;
    else if ((char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z')) latin++;
  }
  // A Hangul syllable carries about as much as three or four Latin letters.
  return hangul > 0 && hangul * 4 >= latin;
}

const wording = {
  en: {
    schema: (schema: string) =>
      `Answer with JSON only — no prose, no Markdown — that matches this JSON Schema:\n${schema}`,
    retry: (issues: string) =>
      `Your previous answer does not match the required JSON Schema:\n${issues}\nAnswer again with only the corrected JSON.`,
    previous: 'Previous answer:',
  },
  ko: {
    schema: (schema: string) =>
      `다음 JSON 스키마에 맞는 JSON만으로 답하세요. 설명이나 마크다운은 쓰지 마세요.\n${schema}`,
    retry: (issues: string) =>
      `앞의 답변이 요구된 JSON 스키마에 맞지 않습니다.\n${issues}\n고친 JSON만 다시 답하세요.`,
    previous: '앞의 답변:',
  },
};

function wordsFor(prompt: LanguageModelPrompt) {
  return isKorean(promptText(prompt)) ? wording.ko : wording.en;
}

/** For models without structured output: the schema, stated where the model reads instructions. */
export function withSchemaInstruction(prompt: LanguageModelPrompt, schema: JSONSchema): LanguageModelPrompt {
  const instruction = wordsFor(prompt).schema(JSON.stringify(schema));
  if (prompt.type === 'text') return { type: 'text', text: `${instruction}\n\n${prompt.text}` };
  const [first, ...rest] = prompt.messages;
  if (first?.role === 'system')
    return {
      type: 'chat',
      messages: [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...rest],
    };
  return { type: 'chat', messages: [{ role: 'system', content: instruction }, ...prompt.messages] };
}

function issueLines(issues: readonly Issue[]): string {
  return issues
    .slice(0, 20)
    .map((issue) => `- ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}

/** The retry: the first answer and what is wrong with it, then a request for corrected JSON. */
export function retryPrompt(
  prompt: LanguageModelPrompt,
  previousOutput: string,
  issues: readonly Issue[],
): LanguageModelPrompt {
  const words = wordsFor(prompt);
  const feedback = words.retry(issueLines(issues));
  if (prompt.type === 'chat') {
    return {
      type: 'chat',
      messages: [
        ...prompt.messages,
        { role: 'assistant', content: previousOutput },
        { role: 'user', content: feedback },
      ],
    };
  }
  return { type: 'text', text: `${prompt.text}\n\n${words.previous}\n${previousOutput}\n\n${feedback}\n` };
}
