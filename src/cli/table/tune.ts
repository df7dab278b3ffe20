/**
 * @module cli/table/tune
 * The `keel tune` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const tune = () => import('../commands/tune.js');
const tuneExport = () => import('../commands/tune-export.js');
const tuneAdapter = () => import('../commands/tune-adapter.js');

export const tuneCommands: CommandSpec[] = [
  {
    path: ['tune', 'head'],
    description:
      'Train a task head (logistic regression, a small MLP, or a token tagger) on a labelled JSONL file, showing progress by epoch.',
    options: [
      { flags: '--dataset <file>', description: 'JSONL file, one labelled text (or tagged sentence) a line' },
      { flags: '--method <method>', description: 'logistic (default), mlp or tagger' },
      {
        flags: '--features <encoder>',
        description:
          'frozen encoder: hashing (default; character n-grams) or an embedding model provider:model',
      },
      {
        flags: '--text-field <name>',
        description: 'field holding the text (tagger: the tokens array); default text (tokens)',
      },
      {
        flags: '--label-field <name>',
        description: 'field holding the label (tagger: the tags array); default label (tags)',
      },
      { flags: '--name <head>', description: 'head name (default: the file name)' },
      { flags: '--seed <n>', description: 'random seed' },
      { flags: '--max-epochs <n>', description: 'most epochs (early stopping may end sooner)' },
      { flags: '--dimensions <n>', description: 'hashing: feature space size, a power of two' },
      { flags: '--hidden-units <n>', description: 'mlp: hidden units' },
      { flags: '--window <n>', description: 'tagger: neighbours on each side used as features' },
      {
        flags: '--tokenization <mode>',
        description: 'tagger: word (default) or char, how served texts are split',
      },
      { flags: '--positive-label <label>', description: 'label a detector flags (sets an operating point)' },
      { flags: '--max-fpr <rate>', description: 'highest validation false-positive rate for that label' },
    ],
    load: tune,
    handler: 'headCommand',
  },
  {
    path: ['tune', 'prompt'],
    arguments: ['<template>'],
    description:
      'Optimise a Prompt Lab template against a labelled evaluation dataset (instructions, few-shot examples fixed or retrieved per input, output format, then their best combinations) within a budget of model calls and tokens, showing progress by candidate; saves the winner as a new version and stores its evaluation run beside the untuned one.',
    options: [
      { flags: '--dataset <name>', description: 'evaluation dataset with labels or reference outputs' },
      { flags: '--dataset-version <n>', description: 'dataset version (default: the latest)' },
      { flags: '--metric <name>', description: 'metric to maximise (accuracy, exact_match, f1, bleu …)' },
      { flags: '--calls <n>', description: 'budget: most model calls' },
      { flags: '--tokens <n>', description: 'budget: most tokens (prompt and output)' },
      { flags: '--seed <n>', description: 'random seed' },
      { flags: '--model <id>', description: "model to optimise for (default: the template's)" },
      { flags: '--instruction <text...>', description: 'instruction variants written by a person' },
      { flags: '--propose <n>', description: 'instruction rewrites the model proposes (default 2)' },
      { flags: '--k <n...>', description: 'few-shot example counts to try (default 3)' },
      { flags: '--format <text...>', description: 'output-format constraints to try' },
      { flags: '--dev-split <name>', description: 'split scored (default: dev, validation or test)' },
      { flags: '--train-split <name>', description: 'split examples come from (default train)' },
      { flags: '--dev-size <n>', description: 'most dev items scored per candidate (default 20)' },
      {
        flags: '--test-split <name>',
        description: 'held-out split the untuned template and the winner are scored on after the search',
      },
      {
        flags: '--no-per-input',
        description: 'try one fixed example set only, not examples retrieved per input',
      },
      {
        flags: '--joint <n>',
        description: 'instruction × few-shot × format combinations tried after the greedy pass (default 3)',
      },
      {
        flags: '--use-case <id>',
        description: 'register the saved version in this governance use case (it then needs approval)',
      },
    ],
    load: tune,
    handler: 'promptCommand',
  },
  {
    path: ['tune', 'export'],
    arguments: ['<name>'],
    description:
      'Export a training spec for a trainer that runs elsewhere: the records (an evaluation dataset or a local JSONL file) in watsonx tuning JSONL, an axolotl config (LoRA, QLoRA, full) or a PEFT prompt-tuning config, and a lineage manifest; shows progress by step.',
    options: [
      { flags: '--base-model <id>', description: 'the model to tune, as the trainer names it' },
      { flags: '--method <method>', description: 'lora, qlora, full or prompt_tuning' },
      { flags: '--dataset <name>', description: 'evaluation dataset with labels or reference outputs' },
      { flags: '--dataset-version <n>', description: 'dataset version (default: the latest)' },
      {
        flags: '--file <records.jsonl>',
        description: 'local JSONL (or JSON array) of {"input","output"} records',
      },
      {
        flags: '--validation-file <records.jsonl>',
        description: 'local validation records (default: a split)',
      },
      { flags: '--epochs <n>', description: 'training epochs (default 3)' },
      { flags: '--learning-rate <x>', description: 'learning rate (default by method)' },
      { flags: '--batch-size <n>', description: 'batch size per device (default 8)' },
      { flags: '--grad-accum <n>', description: 'gradient accumulation steps (default 1)' },
      { flags: '--lora-rank <n>', description: 'LoRA rank (default 8)' },
      { flags: '--lora-alpha <x>', description: 'LoRA alpha (default 16)' },
      { flags: '--lora-dropout <x>', description: 'LoRA dropout (default 0.05)' },
      { flags: '--max-seq-length <n>', description: 'longest sequence in tokens (default 2048)' },
      { flags: '--seed <n>', description: 'random seed of the split and the trainer (default 42)' },
      { flags: '--validation-fraction <x>', description: 'share held out for validation (default 0.1)' },
      { flags: '--virtual-tokens <n>', description: 'prompt tuning: soft prompt length (default 20)' },
      { flags: '--out <folder>', description: 'download the exported files into this folder' },
    ],
    load: tuneExport,
    handler: 'exportCommand',
  },
  {
    path: ['tune', 'adapter', 'add'],
    arguments: ['<file>'],
    description:
      'Register a GGUF LoRA adapter for a llama.cpp base model (checked against it); it answers as llamacpp:<base>+<name>.',
    options: [
      { flags: '--base <model>', description: 'the base model, llamacpp:<model>' },
      { flags: '--name <adapter>', description: 'adapter name (default: the file name)' },
      { flags: '--scale <x>', description: 'strength it is applied with (default 1; 0 turns it off)' },
      { flags: '--hyper-parameter <key=value...>', description: 'how it was trained (lineage)' },
      { flags: '--dataset-name <name>', description: 'the training data it was made from (lineage)' },
      { flags: '--dataset-version <version>', description: 'that data’s version (lineage)' },
      { flags: '--use-case <id>', description: 'enter it in this governance use case (needs approval)' },
      {
        flags: '--in-models-dir',
        description: "the file is a path under the server's models directory: register it without uploading",
      },
    ],
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
    options: [{ flags: '--only-version <n>', description: 'remove only this version' }],
    load: tuneAdapter,
    handler: 'removeCommand',
  },
];
