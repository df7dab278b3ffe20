import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KeelError } from '../../core/errors.js';
import { checkHyperParameters } from './export-service.js';
import { DEFAULT_VERBALIZER, resolveHyperParameters, trainerSpec } from './trainer-config.js';
import {
  recordsFromFile,
  recordsFromItems,
  requireRecords,
  splitRecords,
  watsonxJsonl,
} from './training-records.js';

const bytes = (text: string) => new TextEncoder().encode(text);

function failure(fn: () => unknown): KeelError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KeelError) return error;
    throw error;
  }
  throw new Error('expected a KeelError');
}

describe('training records', () => {
  it('reads JSONL records, skipping each bad line with its line number and a code', () => {
    const file = [
      '{"input": "Message: I cannot log in.", "output": "Class name: Problem"}',
      'not json',
      '{"input": "Where are the prices?"}',
      '[1, 2]',
      '',
      '{"prompt": "Is trial free?", "completion": "Class name: Question"}',
      '{"input": "  ", "output": "x"}',
    ].join('\n');
    const read = recordsFromFile(bytes(file), 'train.jsonl');
    expect(read.records.map((r) => [r.input, r.output])).toEqual([
      ['Message: I cannot log in.', 'Class name: Problem'],
      ['Is trial free?', 'Class name: Question'],
    ]);
    expect(read.skipped.map((s) => [s.at, s.code])).toEqual([
      ['line 2', 'invalid_json'],
      ['line 3', 'missing_output'],
      ['line 4', 'not_an_object'],
      ['line 7', 'missing_input'],
    ]);
  });

  it('reads a JSON array of records too (watsonx accepts JSON and JSONL)', () => {
    const read = recordsFromFile(bytes('[{"input":"a","output":"b"},{"input":"c"}]'), 'train.json');
    expect(read.records).toEqual([{ input: 'a', output: 'b', split: null }]);
    expect(read.skipped).toEqual([{ at: 'record 2', code: 'missing_output', message: expect.any(String) }]);
  });

  it('refuses a file that is not UTF-8, and data with no records or no outputs, with codes', () => {
    expect(
      failure(() => recordsFromFile(new Uint8Array([0xff, 0xfe, 0x00]), 'x.jsonl')).issues?.[0]?.code,
    ).toBe('invalid_encoding');
    expect(failure(() => requireRecords(recordsFromFile(bytes('\n\n'), 'x'), 'x')).issues?.[0]?.code).toBe(
      'empty_dataset',
    );
    const unlabelled = recordsFromItems([
      { input: { q: 'a' }, references: [], label: null, contexts: [], metadata: {}, split: null, ordinal: 0 },
    ]);
    const error = failure(() => requireRecords(unlabelled, 'Dataset d v1'));
    expect([error.code, error.issues?.[0]?.code]).toEqual(['invalid_dataset', 'unlabelled_dataset']);
  });

  it('takes a dataset item’s input values and its label or first reference as the output', () => {
    const read = recordsFromItems([
      {
        input: { text: 'good day' },
        references: [],
        label: 'pos',
        contexts: [],
        metadata: {},
        split: 'train',
        ordinal: 0,
      },
      {
        input: { q: 'Q', ctx: 'C' },
        references: ['A', 'B'],
        label: null,
        contexts: [],
        metadata: {},
        split: 'dev',
        ordinal: 1,
      },
      {
        input: { q: 'no answer' },
        references: [],
        label: null,
        contexts: [],
        metadata: {},
        split: 'dev',
        ordinal: 2,
      },
    ]);
    expect(read.records).toEqual([
      { input: 'good day', output: 'pos', split: 'train' },
      { input: 'Q\nC', output: 'A', split: 'dev' },
    ]);
    expect(read.skipped).toEqual([
      { at: 'item 2', code: 'no_reference_output', message: expect.any(String) },
    ]);
  });

  it('keeps the dataset’s own splits and holds a test split out of both', () => {
    const records = [
      { input: 'a', output: '1', split: 'train' },
      { input: 'b', output: '2', split: 'validation' },
      { input: 'c', output: '3', split: 'test' },
      { input: 'd', output: '4', split: 'train' },
    ];
    const split = splitRecords(records, { fraction: 0.1, seed: 1 });
    expect(split).toEqual({
      train: [
        { input: 'a', output: '1' },
        { input: 'd', output: '4' },
      ],
      validation: [{ input: 'b', output: '2' }],
      heldOut: 1,
      method: 'dataset_splits',
    });
  });

  it('splits unsplit records by a seeded share: the same seed the same split, another seed another', () => {
    const records = Array.from({ length: 40 }, (_, i) => ({
      input: `in ${i}`,
      output: `out ${i}`,
      split: null,
    }));
    const a = splitRecords(records, { fraction: 0.25, seed: 7 });
    const b = splitRecords(records, { fraction: 0.25, seed: 7 });
    const c = splitRecords(records, { fraction: 0.25, seed: 8 });
    expect(a.method).toBe('seeded_random');
    expect([a.train.length, a.validation.length]).toEqual([30, 10]);
    expect(b).toEqual(a);
    expect(c.validation).not.toEqual(a.validation);
    expect(new Set([...a.train, ...a.validation].map((r) => r.input)).size).toBe(40);
    expect(splitRecords(records, { fraction: 0, seed: 7 })).toMatchObject({ method: 'none', validation: [] });
  });

  it('writes watsonx tuning JSONL: one {"input","output"} object a line, quotes and newlines escaped', () => {
    const text = watsonxJsonl([{ input: 'He said, "Yes."\nThen left.', output: 'ok' }]);
    expect(text).toBe('{"input":"He said, \\"Yes.\\"\\nThen left.","output":"ok"}\n');
    expect(JSON.parse(text.trim())).toEqual({ input: 'He said, "Yes."\nThen left.', output: 'ok' });
  });
});

describe('trainer configs', () => {
  it('writes an axolotl LoRA config with exactly the hyper-parameters asked for', () => {
    const hyper = resolveHyperParameters('lora', {
      epochs: 4,
      learning_rate: 1e-4,
      batch_size: 2,
      gradient_accumulation_steps: 8,
      lora_rank: 16,
      lora_alpha: 32,
      lora_dropout: 0.1,
      max_sequence_length: 1024,
      seed: 11,
      verbalizer: 'Review {text}: {{input}} Sentiment:',
    });
    const spec = trainerSpec({
      name: 'reviews',
      baseModel: 'org/base-1b',
      method: 'lora',
      hyper,
      validation: true,
    });
    expect(spec.trainer).toBe('axolotl');
    const config = parse(spec.files[0]!.content) as Record<string, unknown>;
    expect(config).toMatchObject({
      base_model: 'org/base-1b',
      adapter: 'lora',
      lora_r: 16,
      lora_alpha: 32,
      lora_dropout: 0.1,
      lora_target_linear: true,
      num_epochs: 4,
      learning_rate: 1e-4,
      micro_batch_size: 2,
      gradient_accumulation_steps: 8,
      sequence_len: 1024,
      seed: 11,
      train_on_inputs: false,
      val_set_size: 0,
    });
    const type = {
      field_instruction: 'input',
      field_output: 'output',
      format: 'Review {{text}}: {instruction} Sentiment:',
    };
    expect(config.datasets).toEqual([
      { path: 'train.jsonl', ds_type: 'json', type: expect.objectContaining(type) },
    ]);
    expect(config.test_datasets).toEqual([
      { path: 'validation.jsonl', ds_type: 'json', split: 'train', type: expect.objectContaining(type) },
    ]);
  });

  it('QLoRA loads the base in 4 bits, full fine-tuning has no adapter, no validation file no test set', () => {
    const qlora = parse(
      trainerSpec({
        name: 'q',
        baseModel: 'b',
        method: 'qlora',
        hyper: resolveHyperParameters('qlora', { target_modules: ['q_proj', 'v_proj'] }),
        validation: false,
      }).files[0]!.content,
    );
    expect(qlora).toMatchObject({
      adapter: 'qlora',
      load_in_4bit: true,
      lora_target_modules: ['q_proj', 'v_proj'],
    });
    expect(qlora.test_datasets).toBeUndefined();
    const full = parse(
      trainerSpec({
        name: 'f',
        baseModel: 'b',
        method: 'full',
        hyper: resolveHyperParameters('full'),
        validation: true,
      }).files[0]!.content,
    );
    expect(full.adapter).toBeUndefined();
    expect(full.lora_r).toBeUndefined();
    expect(full.learning_rate).toBe(2e-5);
  });

  it('prompt tuning writes PEFT’s PromptTuningConfig and the matching TrainingArguments', () => {
    const hyper = resolveHyperParameters('prompt_tuning', {
      num_virtual_tokens: 50,
      init_text: 'Classify it.',
      epochs: 5,
      seed: 3,
    });
    const spec = trainerSpec({
      name: 'p',
      baseModel: 'org/m',
      method: 'prompt_tuning',
      hyper,
      validation: false,
    });
    expect(spec.trainer).toBe('peft');
    const files = Object.fromEntries(spec.files.map((f) => [f.name, JSON.parse(f.content)]));
    expect(files['peft/adapter_config.json']).toEqual({
      peft_type: 'PROMPT_TUNING',
      task_type: 'CAUSAL_LM',
      base_model_name_or_path: 'org/m',
      tokenizer_name_or_path: 'org/m',
      num_virtual_tokens: 50,
      prompt_tuning_init: 'TEXT',
      prompt_tuning_init_text: 'Classify it.',
    });
    expect(files['training_arguments.json']).toMatchObject({
      num_train_epochs: 5,
      learning_rate: 0.3,
      seed: 3,
      eval_strategy: 'no',
    });
    expect(hyper.verbalizer).toBe(DEFAULT_VERBALIZER);
  });

  it('refuses out-of-range hyper-parameters with coded issues under hyper_parameters', () => {
    const error = failure(() =>
      checkHyperParameters({
        method: 'lora',
        hyperParameters: { lora_rank: 5000, lora_dropout: -0.1, epochs: 0 },
      }),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.issues?.map((i) => [i.code, i.path.join('.')]).sort()).toEqual([
      ['too_big', 'hyper_parameters.lora_rank'],
      ['too_small', 'hyper_parameters.epochs'],
      ['too_small', 'hyper_parameters.lora_dropout'],
    ]);
    expect(
      failure(() => checkHyperParameters({ method: 'lora', hyperParameters: { verbalizer: 'no marker' } }))
        .issues?.[0]?.path,
    ).toEqual(['hyper_parameters', 'verbalizer']);
  });
});
