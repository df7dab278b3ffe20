import { describe, expect, it } from 'vitest';
import { checkTemplate } from '../../prompts/check-template.js';
import { defaultFormats, withExamples, withFormat, withInstruction } from './candidates.js';

const examples = [{ input: 'a {{b}} c', output: 'pos', label: 'pos' }];

describe('prompt candidates', () => {
  it('edits structured, chat and freeform bodies, and the results still compile', () => {
    const structured = withFormat(
      withExamples(withInstruction({ mode: 'structured', test_input: '{{text}}' }, 'Label it.'), examples),
      { text: 'Answer with JSON.', schema: { type: 'object' } },
    );
    expect(structured).toMatchObject({
      instruction: 'Label it.\nAnswer with JSON.',
      examples: [{ input: 'a \\{{b}} c', output: 'pos' }],
      output_schema: { type: 'object' },
    });
    const chat = withFormat(
      withExamples(
        withInstruction({ mode: 'chat', messages: [{ role: 'user', content: '{{text}}' }] }, 'Sys'),
        examples,
      ),
      defaultFormats(['neg', 'pos'])[0]!,
    );
    expect(chat).toMatchObject({
      system: 'Sys\nAnswer with exactly one of: neg, pos. Write nothing else.',
      messages: [
        { role: 'user', content: 'a \\{{b}} c' },
        { role: 'assistant', content: 'pos' },
        { role: 'user', content: '{{text}}' },
      ],
    });
    const freeform = withFormat(withExamples({ mode: 'freeform', text: 'Q: {{text}}' }, examples), {
      text: 'One word.',
    });
    expect(freeform).toMatchObject({ text: 'Input: a \\{{b}} c\nOutput: pos\n\nQ: {{text}}\nOne word.\n' });
    // An example's literal braces stay text: the only variable is the template's own.
    for (const body of [structured, chat, freeform]) {
      expect(checkTemplate(body).variables.map((v) => v.name)).toEqual(['text']);
    }
  });
});
