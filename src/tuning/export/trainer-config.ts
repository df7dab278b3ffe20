/**
 * @module tuning/export/trainer-config
 * The trainer side of an exported training spec, consistent with its hyper-parameters:
 * - LoRA, QLoRA and full fine-tuning: an axolotl YAML (`axolotl train axolotl.yaml` in the export's
 *   folder). axolotl reads watsonx.ai's `{"input", "output"}` JSONL as it is, through a custom
 *   instruction format whose template is the verbalizer, and trains on the outputs only.
 * - Prompt tuning (axolotl has none): Hugging Face PEFT's `PromptTuningConfig` as its
 *   `adapter_config.json` (`PeftConfig.from_pretrained('peft')`), and the Transformers
 *   `TrainingArguments` the same hyper-parameters give.
 * See decision 0043 for why axolotl and PEFT.
 */
import { stringify } from 'yaml';
import type { ExportHyperParameters, ExportMethod } from '../../api/tuning.js';

/** Every hyper-parameter, defaults filled in. */
export type ResolvedHyperParameters = {
  [K in Exclude<keyof ExportHyperParameters, 'target_modules' | 'init_text'>]-?: NonNullable<
    ExportHyperParameters[K]
  >;
} & {
  target_modules: string[] | null;
  init_text: string | null;
};

/** watsonx.ai's default verbalizer. */
export const DEFAULT_VERBALIZER = 'Input: {{input}} Output:';

/**
 * The defaults: the LoRA paper's and PEFT's usual rank/alpha/dropout (8, 16, 0.05), 3 epochs, and a
 * learning rate by method (LoRA and QLoRA 2e-4, full fine-tuning 2e-5, prompt tuning 0.3).
 */
export function resolveHyperParameters(
  method: ExportMethod,
  given: ExportHyperParameters = {},
): ResolvedHyperParameters {
  const rate = { lora: 2e-4, qlora: 2e-4, full: 2e-5, prompt_tuning: 0.3 }[method];
  return {
    epochs: given.epochs ?? 3,
    learning_rate: given.learning_rate ?? rate,
    batch_size: given.batch_size ?? 8,
    gradient_accumulation_steps: given.gradient_accumulation_steps ?? 1,
    lora_rank: given.lora_rank ?? 8,
    lora_alpha: given.lora_alpha ?? 16,
    lora_dropout: given.lora_dropout ?? 0.05,
    target_modules: given.target_modules ?? null,
    max_sequence_length: given.max_sequence_length ?? 2048,
    seed: given.seed ?? 42,
    validation_fraction: given.validation_fraction ?? 0.1,
    num_virtual_tokens: given.num_virtual_tokens ?? 20,
    init_text: given.init_text ?? null,
    verbalizer: given.verbalizer ?? DEFAULT_VERBALIZER,
  };
}

/** The hyper-parameters that mean something for the method (the manifest records these). */
export function relevantHyperParameters(
  method: ExportMethod,
  h: ResolvedHyperParameters,
): Record<string, unknown> {
  const common = {
    epochs: h.epochs,
    learning_rate: h.learning_rate,
    batch_size: h.batch_size,
    gradient_accumulation_steps: h.gradient_accumulation_steps,
    max_sequence_length: h.max_sequence_length,
    seed: h.seed,
    validation_fraction: h.validation_fraction,
    verbalizer: h.verbalizer,
  };
  if (method === 'prompt_tuning') {
    return { ...common, num_virtual_tokens: h.num_virtual_tokens, init_text: h.init_text };
  }
  if (method === 'full') return common;
  return {
    ...common,
    lora_rank: h.lora_rank,
    lora_alpha: h.lora_alpha,
    lora_dropout: h.lora_dropout,
    target_modules: h.target_modules ?? 'all-linear',
  };
}

export interface TrainerFile {
  /** Relative to the export's folder. */
  name: string;
  content: string;
  format: string;
}

export interface TrainerSpec {
  trainer: 'axolotl' | 'peft';
  command: string;
  files: TrainerFile[];
}

interface TrainerInput {
  name: string;
  baseModel: string;
  method: ExportMethod;
  hyper: ResolvedHyperParameters;
  /** Whether a validation file was written. */
  validation: boolean;
}

/** The verbalizer as an axolotl instruction template (`{{input}}` → `{instruction}`). */
const axolotlFormat = (verbalizer: string) =>
  verbalizer.replaceAll('{', '{{').replaceAll('}', '}}').replaceAll('{{{{input}}}}', '{instruction}');

function axolotlYaml({ name, baseModel, method, hyper, validation }: TrainerInput): string {
  const format = axolotlFormat(hyper.verbalizer);
  const type = {
    field_instruction: 'input',
    field_output: 'output',
    format,
    no_input_format: format,
  };
  const lora =
    method === 'full'
      ? {}
      : {
          adapter: method,
          ...(method === 'qlora' ? { load_in_4bit: true } : {}),
          lora_r: hyper.lora_rank,
          lora_alpha: hyper.lora_alpha,
          lora_dropout: hyper.lora_dropout,
          ...(hyper.target_modules
            ? { lora_target_modules: hyper.target_modules }
            : { lora_target_linear: true }),
        };
  const config = {
    base_model: baseModel,
    datasets: [{ path: 'train.jsonl', ds_type: 'json', type }],
    ...(validation
      ? { test_datasets: [{ path: 'validation.jsonl', ds_type: 'json', split: 'train', type }] }
      : {}),
    val_set_size: 0,
    output_dir: `./outputs/${name}`,
    sequence_len: hyper.max_sequence_length,
    ...lora,
    num_epochs: hyper.epochs,
    learning_rate: hyper.learning_rate,
    micro_batch_size: hyper.batch_size,
    gradient_accumulation_steps: hyper.gradient_accumulation_steps,
    seed: hyper.seed,
    optimizer: 'adamw_torch',
    lr_scheduler: 'cosine',
    train_on_inputs: false,
  };
  return `# Training spec exported by Keel (${method}). Run from this folder: axolotl train axolotl.yaml\n${stringify(config)}`;
}

function promptTuningFiles({ name, baseModel, hyper, validation }: TrainerInput): TrainerFile[] {
  const adapter = {
    peft_type: 'PROMPT_TUNING',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: baseModel,
    tokenizer_name_or_path: baseModel,
    num_virtual_tokens: hyper.num_virtual_tokens,
    prompt_tuning_init: hyper.init_text ? 'TEXT' : 'RANDOM',
    ...(hyper.init_text ? { prompt_tuning_init_text: hyper.init_text } : {}),
  };
  const args = {
    output_dir: `./outputs/${name}`,
    num_train_epochs: hyper.epochs,
    learning_rate: hyper.learning_rate,
    per_device_train_batch_size: hyper.batch_size,
    gradient_accumulation_steps: hyper.gradient_accumulation_steps,
    seed: hyper.seed,
    data_seed: hyper.seed,
    eval_strategy: validation ? 'epoch' : 'no',
    lr_scheduler_type: 'linear',
  };
  return [
    {
      name: 'peft/adapter_config.json',
      content: `${JSON.stringify(adapter, null, 2)}\n`,
      format: 'peft-config',
    },
    {
      name: 'training_arguments.json',
      content: `${JSON.stringify(args, null, 2)}\n`,
      format: 'transformers-training-arguments',
    },
  ];
}

/** The trainer's files for the method. */
export function trainerSpec(input: TrainerInput): TrainerSpec {
  if (input.method === 'prompt_tuning') {
    return {
      trainer: 'peft',
      command:
        "PeftConfig.from_pretrained('peft') and TrainingArguments(**json.load(open('training_arguments.json'))), with max_length " +
        `${input.hyper.max_sequence_length} and the verbalizer "${input.hyper.verbalizer}"`,
      files: promptTuningFiles(input),
    };
  }
  return {
    trainer: 'axolotl',
    command: 'axolotl train axolotl.yaml',
    files: [{ name: 'axolotl.yaml', content: axolotlYaml(input), format: 'axolotl-yaml' }],
  };
}
