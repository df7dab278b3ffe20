/**
 * @module cli/table/prompts
 * The `keel prompt` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const prompt = () => import('../commands/prompt.js');
const promptRun = () => import('../commands/prompt-run.js');
const promptFiles = () => import('../commands/prompt-files.js');
const promptRuns = () => import('../commands/prompt-runs.js');
const promptLabel = () => import('../commands/prompt-label.js');

export const promptCommands: CommandSpec[] = [
  {
    path: ['prompt', 'list'],
    description: 'List the prompt templates of the project.',
    options: [
      {
        flags: '--task <task>',
        description: 'only templates for this task (generate, extract, summarize, classify, qa, rag …)',
      },
      { flags: '--search <text>', description: 'match names, titles and descriptions' },
    ],
    load: prompt,
    handler: 'listCommand',
  },
  {
    path: ['prompt', 'show'],
    description: 'Show a template: name (latest), name@3 (version) or name@production (label).',
    arguments: ['<ref>'],
    options: [{ flags: '--versions', description: 'also list every version' }],
    load: prompt,
    handler: 'showCommand',
  },
  {
    path: ['prompt', 'diff'],
    description: 'Show what changed between two versions (numbers or labels) of a template.',
    arguments: ['<name>', '<from>', '<to>'],
    load: prompt,
    handler: 'diffCommand',
  },
  {
    path: ['prompt', 'label'],
    description:
      'Point a label at a version (set or move it), e.g. keel prompt label triage production 3. Moving production on a governed template needs a valid approval.',
    arguments: ['<template>', '<label>', '[version]'],
    options: [
      {
        flags: '--expected <version>',
        description: 'move only if the label now points at this version (none: only if it does not exist)',
      },
      { flags: '--remove', description: 'remove the label instead' },
    ],
    load: promptLabel,
    handler: 'labelCommand',
  },
  {
    path: ['prompt', 'run'],
    description: 'Run a template (name, name@3, name@production) or --text, and print the output.',
    arguments: ['[ref]'],
    options: [
      { flags: '--text <prompt>', description: 'run this freeform prompt instead of a stored template' },
      {
        flags: '--var <name=value...>',
        description: 'variable values (typed as the template declares them)',
      },
      { flags: '--var-json <name=json...>', description: 'variable values given as JSON' },
      { flags: '--vars-file <file>', description: 'a JSON object of variable values' },
      { flags: '-m, --model <id>', description: 'model id, provider:model (default: the template’s)' },
      { flags: '--stream', description: 'print the output as it arrives' },
      { flags: '--session <id>', description: 'record the run in this prompt session' },
      { flags: '--max-new-tokens <n>', description: 'max_new_tokens' },
      { flags: '--temperature <t>', description: 'temperature (implies sampling)' },
      { flags: '--seed <n>', description: 'random_seed' },
      { flags: '--decoding <method>', description: 'greedy or sample', choices: ['greedy', 'sample'] },
    ],
    load: promptRun,
    handler: 'runCommand',
  },
  {
    path: ['prompt', 'compare'],
    description: 'Compare templates (variants) and models side by side over one or more inputs.',
    arguments: ['<refs...>'],
    options: [
      { flags: '-m, --model <ids...>', description: 'run every template on each of these models' },
      { flags: '--var <name=value...>', description: 'variable values for a single input' },
      { flags: '--var-json <name=json...>', description: 'variable values given as JSON' },
      { flags: '--vars-file <file>', description: 'a JSON object of variable values' },
      { flags: '--inputs <file>', description: 'inputs as a JSON array or JSON Lines of variable objects' },
      {
        flags: '--dataset <name[@version]>',
        description: 'run over an evaluation dataset’s items and score each column against its references',
      },
      { flags: '--limit <n>', description: 'with --dataset: its first n items (default and at most 100)' },
      {
        flags: '--metric <names...>',
        description: 'quality metrics (default with --dataset: exact_match f1 rougeL chrf)',
      },
      { flags: '--concurrency <n>', description: 'model calls at once (default 4)' },
      { flags: '--session <id>', description: 'record the runs in this prompt session' },
      { flags: '--max-new-tokens <n>', description: 'max_new_tokens' },
      { flags: '--temperature <t>', description: 'temperature (implies sampling)' },
      { flags: '--seed <n>', description: 'random_seed' },
      { flags: '--decoding <method>', description: 'greedy or sample', choices: ['greedy', 'sample'] },
    ],
    load: promptRun,
    handler: 'compareCommand',
  },
  {
    path: ['prompt', 'samples'],
    description: 'List the sample templates (Korean and English), or load them into the project.',
    options: [
      { flags: '--task <task>', description: 'generate, extract, summarize, classify, qa or rag' },
      { flags: '--language <language>', description: 'ko or en', choices: ['ko', 'en'] },
      { flags: '--load', description: 'save them as templates in the project' },
      { flags: '-m, --model <id>', description: 'with --load: bind this model to each template' },
      {
        flags: '--rebind',
        description:
          'with --load --model: point sample templates that already exist at the model (a new version each)',
      },
      { flags: '--prefix <prefix>', description: 'with --load: prepend this to each template name' },
    ],
    load: prompt,
    handler: 'samplesCommand',
  },
  {
    path: ['prompt', 'export'],
    description: 'Write templates (every version and label) as YAML files, one per template.',
    arguments: ['[names...]'],
    options: [{ flags: '-o, --out <dir>', description: 'folder to write to', defaultValue: 'prompts' }],
    load: promptFiles,
    handler: 'exportCommand',
  },
  {
    path: ['prompt', 'import'],
    description: 'Import YAML template files or folders of them, all or nothing.',
    arguments: ['<paths...>'],
    options: [{ flags: '--dry-run', description: 'check and report without changing anything' }],
    load: promptFiles,
    handler: 'importCommand',
  },
  {
    path: ['prompt', 'runs', 'redact'],
    description:
      'Mask the Prompt Lab runs and drafts stored before redaction under the policy that applies now, raw values sealed (project admins).',
    options: [{ flags: '--batch <n>', description: 'rows per request (1-1000, default 200)' }],
    load: promptRuns,
    handler: 'redactCommand',
  },
];
