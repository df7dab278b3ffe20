import { describe, expect, it } from 'vitest';
import type { TemplateBody } from '../api/prompts.js';
import { KeelError } from '../core/errors.js';
import { checkTemplate } from './check-template.js';
import { compileTemplate } from './compile-template.js';
import { parsePlaceholders } from './placeholders.js';
import { parsePromptRef } from './prompt-ref.js';
import { promptText, renderSections } from './render-template.js';
import { resolveValues } from './variables.js';

function render(body: TemplateBody, values: Record<string, unknown> = {}) {
  const compiled = compileTemplate(body);
  return renderSections(compiled.sections, resolveValues(compiled.variables, values).texts);
}

function thrown(fn: () => unknown): KeelError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KeelError) return error;
    throw error;
  }
  throw new Error('expected a KeelError');
}

describe('placeholders', () => {
  it('finds {{variables}} with spaces and Hangul names, and keeps \\{{ literal', () => {
    const parsed = parsePlaceholders('안녕하세요 {{ 고객명 }}님, {{order_id}} \\{{not}} {{고객명}}');
    expect(parsed.names).toEqual(['고객명', 'order_id']);
    expect(parsed.segments).toEqual([
      { kind: 'text', text: '안녕하세요 ' },
      { kind: 'variable', name: '고객명' },
      { kind: 'text', text: '님, ' },
      { kind: 'variable', name: 'order_id' },
      { kind: 'text', text: ' {{not}} ' },
      { kind: 'variable', name: '고객명' },
    ]);
  });

  it('reports malformed placeholders as issues and keeps them as text', () => {
    const issues: { code: string; path: (string | number)[]; message: string }[] = [];
    const parsed = parsePlaceholders('a {{first name}} b {{1x}} {{}}', ['text'], issues);
    expect(issues.map((issue) => issue.code)).toEqual([
      'invalid_placeholder',
      'invalid_placeholder',
      'invalid_placeholder',
    ]);
    expect(parsed.names).toEqual([]);
    expect(parsed.segments).toEqual([{ kind: 'text', text: 'a {{first name}} b {{1x}} {{}}' }]);
  });
});

describe('rendering', () => {
  it('lays out structured mode the way watsonx does', () => {
    const prompt = render(
      {
        mode: 'structured',
        instruction: 'Classify the complaint.',
        examples: [
          { input: 'late parcel', output: 'delivery' },
          { input: 'charged twice', output: 'billing' },
        ],
        test_input: '{{complaint}}',
      },
      { complaint: 'rude staff' },
    );
    expect(prompt).toEqual({
      type: 'text',
      text: 'Classify the complaint.\n\nInput: late parcel\nOutput: delivery\n\nInput: charged twice\nOutput: billing\n\nInput: rude staff\nOutput:',
    });
    expect(
      render(
        {
          mode: 'structured',
          instruction: '요약',
          input_prefix: '',
          output_prefix: '요약:',
          test_input: '{{t}}',
        },
        { t: '본문' },
      ),
    ).toEqual({
      type: 'text',
      text: '요약\n\n본문\n요약:',
    });
  });

  it('renders chat mode with the system message first and typed values as text', () => {
    const prompt = render(
      {
        mode: 'chat',
        system: 'Be {{tone}}.',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello' },
          { role: 'user', content: '{{n}} {{flag}} {{data}}' },
        ],
        variables: [
          { name: 'tone', default: 'brief' },
          { name: 'n', type: 'number' },
          { name: 'flag', type: 'boolean' },
          { name: 'data', type: 'json' },
        ],
      },
      { n: 1.5, flag: false, data: { a: [1, '가'] } },
    );
    expect(prompt).toEqual({
      type: 'chat',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: '1.5 false {"a":[1,"가"]}' },
      ],
    });
    expect(promptText(prompt)).toBe(
      'system: Be brief.\n\nuser: hi\n\nassistant: hello\n\nuser: 1.5 false {"a":[1,"가"]}',
    );
  });

  it('renders optional variables without a value as empty', () => {
    expect(
      render({ mode: 'freeform', text: '[{{note}}]', variables: [{ name: 'note', required: false }] }),
    ).toEqual({ type: 'text', text: '[]' });
  });
});

describe('variables', () => {
  const compiled = compileTemplate({
    mode: 'freeform',
    text: '{{name}} {{age}} {{vip}}',
    variables: [
      { name: 'age', type: 'integer', default: 30 },
      { name: 'vip', type: 'boolean' },
    ],
  });

  it('puts declared variables first, then undeclared ones as required strings', () => {
    expect(compiled.variables).toEqual([
      { name: 'age', type: 'integer', required: false, default: 30 },
      { name: 'vip', type: 'boolean', required: true },
      { name: 'name', type: 'string', required: true },
    ]);
  });

  it('names every missing variable, and reports unknown names and wrong types together', () => {
    const missing = thrown(() => resolveValues(compiled.variables, {}));
    expect(missing.code).toBe('missing_variable');
    expect(missing.message).toBe('Missing template variables "vip", "name".');
    const mixed = thrown(() =>
      resolveValues(compiled.variables, { name: 'a', vip: 'yes', age: 3.5, extra: 1 }),
    );
    expect(mixed.code).toBe('invalid_request');
    expect(mixed.issues!.map((issue) => [issue.code, issue.path[1]])).toEqual([
      ['unknown_variable', 'extra'],
      ['invalid_type', 'age'],
      ['invalid_type', 'vip'],
    ]);
  });

  it('fills defaults and keeps the given values', () => {
    expect(resolveValues(compiled.variables, { name: '민지', vip: true }).values).toEqual({
      age: 30,
      vip: true,
      name: '민지',
    });
  });
});

describe('template checks', () => {
  it('warns about declared-but-unused variables and a default that can never apply', () => {
    const compiled = compileTemplate({
      mode: 'freeform',
      text: '{{a}}',
      variables: [{ name: 'a', default: 'x', required: true }, { name: 'unused' }],
    });
    expect(compiled.issues).toEqual([]);
    expect(compiled.warnings.map((warning) => warning.setting)).toEqual(['variables.a', 'variables.unused']);
  });

  it('collects every issue with its path', () => {
    const error = thrown(() =>
      checkTemplate({
        mode: 'chat',
        messages: [{ role: 'assistant', content: '{{bad name}}' }],
        variables: [{ name: 'x' }, { name: 'x' }],
        model_id: 'no-provider',
        output_schema: { type: 'object', required: 'a' },
      }),
    );
    expect(error.issues!.map((issue) => issue.path.join('.'))).toEqual([
      'template.messages',
      'template.messages.0.content',
      'template.variables.1.name',
      'template.model_id',
      'template.output_schema.required',
    ]);
  });

  it('parses references', () => {
    expect(parsePromptRef('triage')).toEqual({ name: 'triage', selector: { kind: 'latest' } });
    expect(parsePromptRef('triage@12')).toEqual({
      name: 'triage',
      selector: { kind: 'version', version: 12 },
    });
    expect(parsePromptRef('triage@latest')).toEqual({ name: 'triage', selector: { kind: 'latest' } });
    expect(parsePromptRef('triage@production')).toEqual({
      name: 'triage',
      selector: { kind: 'label', label: 'production' },
    });
    expect(thrown(() => parsePromptRef('Triage@@x')).code).toBe('invalid_request');
  });
});
