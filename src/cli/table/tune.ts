/**
 * @module cli/table/tune
 * The `keel tune` commands of the command table.
 */
import type { CommandSpec } from '../command.js';
import { optionTable } from './options.js';

const tune = () => import('../commands/tune.js');
const tuneExport = () => import('../commands/tune-export.js');
const tuneAdapter = () => import('../commands/tune-adapter.js');

/** The evaluation dataset `tune prompt` scores against and `tune export` may read its records from. */
const evaluationDataset = {
  '--dataset <name>': 'evaluation dataset with labels or reference outputs',
  '--dataset-version <n>': 'dataset version (default: the latest)',
};

export const tuneCommands: CommandSpec[] = [
  {
    path: ['tune', 'head'],
    description:
      'Train a task head (logistic regression, a small MLP, or a token tagger) on a labelled JSONL file, showing progress by epoch.',
    options: optionTable({
      '--dataset <file>': 'JSONL file, one labelled text (or tagged sentence) a line',
      '--method <method>': 'logistic (default), mlp or tagger',
      '--features <encoder>':
        'frozen encoder: hashing (default; character n-grams) or an embedding model provider:model',
      '--text-field <name>': 'field holding the text (tagger: the tokens array); default text (tokens)',
      '--label-field <name>': 'field holding the label (tagger: the tags array); default label (tags)',
      '--name <head>': 'head name (default: the file name)',
      '--seed <n>': 'random seed',
      '--max-epochs <n>': 'most epochs (early stopping may end sooner)',
      '--dimensions <n>': 'hashing: feature space size, a power of two',
      '--hidden-units <n>': 'mlp: hidden units',
      '--window <n>': 'tagger: neighbours on each side used as features',
      '--tokenization <mode>': 'tagger: word (default) or char, how served texts are split',
      '--positive-label <label>': 'label a detector flags (sets an operating point)',
      '--max-fpr <rate>': 'highest validation false-positive rate for that label',
    }),
    load: tune,
    handler: 'headCommand',
  },
  {
    path: ['tune', 'prompt'],
    arguments: ['<template>'],
    description:
      'Optimise a Prompt Lab template against a labelled evaluation dataset (instructions, few-shot examples fixed or retrieved per input, output format, then their best combinations) within a budget of model calls and tokens, showing progress by candidate; saves the winner as a new version and stores its evaluation run beside the untuned one.',
    options: optionTable({
      ...evaluationDataset,
      '--metric <name>': 'metric to maximise (accuracy, exact_match, f1, bleu …)',
      '--calls <n>': 'budget: most model calls',
      '--tokens <n>': 'budget: most tokens (prompt and output)',
      '--seed <n>': 'random seed',
      '--model <id>': "model to optimise for (default: the template's)",
      '--instruction <text...>': 'instruction variants written by a person',
      '--propose <n>': 'instruction rewrites the model proposes (default 2)',
      '--k <n...>': 'few-shot example counts to try (default 3)',
      '--format <text...>': 'output-format constraints to try',
      '--dev-split <name>': 'split scored (default: dev, validation or test)',
      '--train-split <name>': 'split examples come from (default train)',
      '--dev-size <n>': 'most dev items scored per candidate (default 20)',
      '--test-split <name>':
        'held-out split the untuned template and the winner are scored on after the search',
      '--no-per-input': 'try one fixed example set only, not examples retrieved per input',
      '--joint <n>': 'instruction × few-shot × format combinations tried after the greedy pass (default 3)',
      '--use-case <id>': 'register the saved version in this governance use case (it then needs approval)',
    }),
    load: tune,
    handler: 'promptCommand',
  },
  {
    path: ['tune', 'export'],
    arguments: ['<name>'],
    description:
      'Export a training spec for a trainer that runs elsewhere: the records (an evaluation dataset or a local JSONL file) in watsonx tuning JSONL, an axolotl config (LoRA, QLoRA, full) or a PEFT prompt-tuning config, and a lineage manifest; shows progress by step.',
    options: optionTable({
      '--base-model <id>': 'the model to tune, as the trainer names it',
      '--method <method>': 'lora, qlora, full or prompt_tuning',
      ...evaluationDataset,
      '--file <records.jsonl>': 'local JSONL (or JSON array) of {"input","output"} records',
      '--validation-file <records.jsonl>': 'local validation records (default: a split)',
      '--epochs <n>': 'training epochs (default 3)',
      '--learning-rate <x>': 'learning rate (default by method)',
      '--batch-size <n>': 'batch size per device (default 8)',
      '--grad-accum <n>': 'gradient accumulation steps (default 1)',
      '--lora-rank <n>': 'LoRA rank (default 8)',
      '--lora-alpha <x>': 'LoRA alpha (default 16)',
      '--lora-dropout <x>': 'LoRA dropout (default 0.05)',
      '--max-seq-length <n>': 'longest sequence in tokens (default 2048)',
      '--seed <n>': 'random seed of the split and the trainer (default 42)',
      '--validation-fraction <x>': 'share held out for validation (default 0.1)',
      '--virtual-tokens <n>': 'prompt tuning: soft prompt length (default 20)',
      '--out <folder>': 'download the exported files into this folder',
    }),
    load: tuneExport,
    handler: 'exportCommand',
  },
  {
    path: ['tune', 'adapter', 'add'],
    arguments: ['<file>'],
    description:
      'Register a GGUF LoRA adapter for a llama.cpp base model (checked against it); it answers as llamacpp:<base>+<name>.',
    options: optionTable({
      '--base <model>': 'the base model, llamacpp:<model>',
      '--name <adapter>': 'adapter name (default: the file name)',
      '--scale <x>': 'strength it is applied with (default 1; 0 turns it off)',
      '--hyper-parameter <key=value...>': 'how it was trained (lineage)',
      '--dataset-name <name>': 'the training data it was made from (lineage)',
      '--dataset-version <version>': 'that data’s version (lineage)',
      '--use-case <id>': 'enter it in this governance use case (needs approval)',
      '--in-models-dir':
        "the file is a path under the server's models directory: register it without uploading",
    }),
    load: tuneAdapter,
    handler: 'addCommand',
  },
  {
    path: ['tune', 'adapter', 'list'],
    description: "The project's LoRA adapters (latest version of each).",
    load: tuneAdapter,
    handler: 'listCommand',
  },
  {
    path: ['tune', 'adapter', 'show'],
    arguments: ['<name>'],
    description: 'Every version of an adapter with its hashes and lineage.',
    load: tuneAdapter,
    handler: 'showCommand',
  },
  {
    path: ['tune', 'adapter', 'remove'],
    arguments: ['<name>'],
    description: 'Remove an adapter (every version, or one with --only-version).',
    options: optionTable({
      '--only-version <n>': 'remove only this version',
    }),
    load: tuneAdapter,
    handler: 'removeCommand',
  },
];
