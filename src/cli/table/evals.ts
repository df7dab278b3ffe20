/**
 * @module cli/table/evals
 * The `keel eval` commands (evaluation, red-teaming, datasets) of the command table.
 */
import type { CommandSpec } from '../command.js';

const redteam = () => import('../commands/redteam.js');
const evals = () => import('../commands/eval.js');

export const evalCommands: CommandSpec[] = [
  {
    path: ['eval', 'redteam'],
    description:
      'Red-team a model or template: Korean and English attacks through its guardrails; prints attack success per category and language.',
    options: [
      { flags: '--target <target>', description: 'a model (provider:model) or template:<name[@version]>' },
      {
        flags: '--policy <name>',
        description: "a stored guardrail policy, or none (default: the template's, else the project's)",
      },
      {
        flags: '--set <name>',
        description: 'probe set: keel (default), or bipia, llm-guard-injection, hatecheck with --datasets',
      },
      {
        flags: '--datasets <dir>',
        description: 'directory holding the public sets (read here, sent inline)',
      },
      {
        flags: '--category <name...>',
        description: 'only these categories',
        choices: [
          'direct_injection',
          'indirect_injection',
          'jailbreak',
          'system_prompt_extraction',
          'pii_extraction',
          'hap_elicitation',
        ],
      },
      { flags: '--language <lang...>', description: 'only these languages', choices: ['en', 'ko'] },
      { flags: '--limit <n>', description: 'the first n probes after filtering' },
      { flags: '--model <id>', description: "template target: override the template's model" },
      { flags: '--input-variable <name>', description: 'template target: the variable the attack goes into' },
      {
        flags: '--context-variable <name>',
        description: "template target: the variable the probe's document goes into",
      },
      {
        flags: '--probes',
        description: 'also list every probe: its outcome and the guardrails that caught it, or "got through"',
      },
      {
        flags: '--max-asr <rate>',
        description: 'exit 6 when the overall attack success rate is above this (0–1)',
      },
    ],
    load: redteam,
    handler: 'redteamCommand',
  },
  {
    path: ['eval', 'run'],
    description:
      'Run an evaluation file (target, dataset, metrics, thresholds): prints the metric table, exits with the threshold_failed code when a threshold fails.',
    arguments: ['<file>'],
    options: [
      { flags: '--json-out <file>', description: 'write the run (aggregates, thresholds) as JSON' },
      { flags: '--junit <file>', description: 'write JUnit XML (one test case per threshold) for CI' },
    ],
    load: evals,
    handler: 'runCommand',
  },
  {
    path: ['eval', 'compare'],
    description: 'Compare run B against run A item by item, with significance tests.',
    arguments: ['<a>', '<b>'],
    options: [{ flags: '--limit <n>', description: 'items listed with --json (default 10)' }],
    load: evals,
    handler: 'compareCommand',
  },
  {
    path: ['eval', 'dataset', 'add'],
    description:
      'Add a dataset version from a CSV, TSV, JSONL, JSON or Parquet file, or from a public set directory (--from: SQuAD/KorQuAD/XQuAD, SciTLDR, kocohub, KLUE NLI).',
    arguments: ['[name]', '[file]'],
    options: [
      { flags: '--from <dir>', description: 'a dataset directory in a known layout' },
      {
        flags: '--mapping <json>',
        description: 'column mapping as JSON: {"input":[…],"reference":"…","label":"…"}',
      },
      {
        flags: '--format <format>',
        description: 'file format',
        choices: ['csv', 'tsv', 'jsonl', 'json', 'parquet'],
      },
      { flags: '--limit <n>', description: 'with --from: only the first n rows' },
    ],
    load: evals,
    handler: 'datasetAddCommand',
  },
  {
    path: ['eval', 'dataset', 'list'],
    description: 'List the evaluation datasets of the project.',
    load: evals,
    handler: 'datasetListCommand',
  },
];
