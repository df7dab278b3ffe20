import { describe, expect, it } from 'vitest';
import { createEchoProvider } from '../testing/echo-provider.js';
import {
  isKorean,
  responseFormatFor,
  retryPrompt,
  structuredStrategy,
  withSchemaInstruction,
} from './structured-output.js';

const schema = { type: 'object', properties: { a: { type: 'string' } } };

describe('structured output', () => {
  it('picks grammar, native or validation by the model’s capability', () => {
    const model = (structuredOutput: 'grammar' | 'native' | 'none') =>
      createEchoProvider({ capabilities: { structuredOutput } }).languageModel('reverse');
    expect(structuredStrategy(model('grammar'), schema)).toBe('grammar');
    expect(structuredStrategy(model('native'), schema)).toBe('native');
    expect(structuredStrategy(model('none'), schema)).toBe('validated');
    expect(structuredStrategy(model('grammar'), undefined)).toBe('none');
    expect(responseFormatFor('native', schema, 'contract clauses (ko)')).toEqual({
      type: 'json',
      schema,
      name: 'contract_clauses__ko_',
    });
    expect(responseFormatFor('validated', schema, 'x')).toBeUndefined();
  });

  it('tells the model the schema in the prompt’s language, in the system message for chats', () => {
    expect(isKorean('다음 계약서에서 조항을 추출하세요 (JSON)')).toBe(true);
    expect(isKorean('Extract the clauses from this 계약서')).toBe(false);
    const chat = withSchemaInstruction(
      {
        type: 'chat',
        messages: [
          { role: 'system', content: '너는 법무 담당자다.' },
          { role: 'user', content: '추출해 줘' },
        ],
      },
      schema,
    );
    expect(chat.type === 'chat' && chat.messages[0]!.content).toMatch(
      /^너는 법무 담당자다\.\n\n다음 JSON 스키마에 맞는 JSON만으로 답하세요/,
    );
    const text = withSchemaInstruction({ type: 'text', text: 'Extract.' }, schema);
    expect(text).toEqual({
      type: 'text',
      text: `Answer with JSON only — no prose, no Markdown — that matches this JSON Schema:\n${JSON.stringify(schema)}\n\nExtract.`,
    });
  });

  it('retries a chat by replaying the bad answer and listing the issues', () => {
    const retry = retryPrompt(
      { type: 'chat', messages: [{ role: 'user', content: 'Extract.' }] },
      '{"a":1}',
      [{ code: 'type', path: ['a'], message: 'must be string' }],
    );
    expect(retry).toEqual({
      type: 'chat',
      messages: [
        { role: 'user', content: 'Extract.' },
        { role: 'assistant', content: '{"a":1}' },
        {
          role: 'user',
          content:
            'Your previous answer does not match the required JSON Schema:\n- a: must be string\nAnswer again with only the corrected JSON.',
        },
      ],
    });
  });
});
