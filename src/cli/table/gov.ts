/**
 * @module cli/table/gov
 * The `keel gov` commands (use cases, lifecycle, approvals, assessments, factsheets) of the command table.
 */
import type { CommandSpec } from '../command.js';

const gov = () => import('../commands/gov.js');
const govAssess = () => import('../commands/gov-assess.js');
const govFactsheet = () => import('../commands/gov-factsheet.js');

export const govCommands: CommandSpec[] = [
  {
    path: ['gov', 'usecase', 'list'],
    description: 'The AI use-case inventory (risk tier from the latest assessment).',
    options: [
      { flags: '--tag <tag>', description: 'only use cases with this tag' },
      {
        flags: '--status <status>',
        description: 'active, blocked or retired',
        choices: ['active', 'blocked', 'retired'],
      },
      {
        flags: '--risk <tier>',
        description: 'only this risk tier',
        choices: ['prohibited', 'high', 'limited', 'minimal'],
      },
    ],
    load: gov,
    handler: 'useCaseListCommand',
  },
  {
    path: ['gov', 'usecase', 'create'],
    description: 'Register an AI use case with its first approach (thresholds: --threshold accuracy>=0.8).',
    arguments: ['<name>'],
    options: [
      { flags: '--purpose <text>', description: 'what the use case is for' },
      { flags: '--owner <name>', description: 'business owner' },
      { flags: '--tags <list>', description: 'comma-separated tags' },
      { flags: '--approach <name>', description: 'name of the first approach (default v1)' },
      {
        flags: '--threshold <rule...>',
        description: 'evaluation thresholds: metric>=value or metric<=value',
      },
    ],
    load: gov,
    handler: 'useCaseCreateCommand',
  },
  {
    path: ['gov', 'usecase', 'show'],
    description: 'A use case with its approaches and tracked assets.',
    arguments: ['<use-case>'],
    load: gov,
    handler: 'useCaseShowCommand',
  },
  {
    path: ['gov', 'track'],
    description:
      'Track an asset under a use case: kind model, prompt_template, rag_collection, evaluation_run, deployment, guardrail_policy, dataset or external_model.',
    arguments: ['<use-case>', '<kind>', '<ref>'],
    options: [
      {
        flags: '--pin <version>',
        description: 'the pinned version (a template version, a configuration version)',
      },
      { flags: '--approach <n>', description: 'approach version (default: the latest)' },
      { flags: '--name <name>', description: 'display name' },
      { flags: '--endpoint <url>', description: 'external model endpoint' },
      {
        flags: '--platform <platform>',
        description: 'external platform',
        choices: ['sagemaker', 'azure_ml', 'vertex', 'http'],
      },
      { flags: '--owner <name>', description: 'external model owner' },
    ],
    load: gov,
    handler: 'trackCommand',
  },
  {
    path: ['gov', 'assets'],
    description: 'Tracked assets with their lifecycle stage.',
    options: [
      { flags: '--use-case <id>', description: 'only this use case' },
      { flags: '--stage <stage>', description: 'only this stage' },
    ],
    load: gov,
    handler: 'assetsCommand',
  },
  {
    path: ['gov', 'transition'],
    description:
      'Move an asset to a lifecycle stage (idea, develop, validate, approve, deploy, monitor, retire); a refusal names what is missing (exit 5).',
    arguments: ['<asset>', '<stage>'],
    options: [
      { flags: '--expect <row-version>', description: 'fail if the asset changed since this row version' },
      { flags: '--no-production', description: 'deploy to a non-production space (no approval needed)' },
      { flags: '--note <text>', description: 'a note kept in the history' },
    ],
    load: gov,
    handler: 'transitionCommand',
  },
  {
    path: ['gov', 'report'],
    description: "Record a validator's validation report on an asset's current revision.",
    arguments: ['<asset>'],
    options: [
      { flags: '--summary <text>', description: 'what was validated and how' },
      { flags: '--finding <text...>', description: 'findings' },
      { flags: '--fail', description: 'the validation did not pass' },
    ],
    load: gov,
    handler: 'reportCommand',
  },
  {
    path: ['gov', 'approve'],
    description:
      'Record a go (or --no-go) decision with reasons; decisions are final, --supersedes reverses one.',
    arguments: ['<asset>'],
    options: [
      { flags: '--reason <text>', description: 'why (required)' },
      { flags: '--no-go', description: 'a no-go decision' },
      { flags: '--supersedes <decision>', description: 'the decision this one reverses' },
    ],
    load: gov,
    handler: 'approveCommand',
  },
  {
    path: ['gov', 'approvals'],
    description: 'Decisions made (newest first), or --pending: the approval queue.',
    options: [
      { flags: '--asset <id>', description: 'only this asset' },
      { flags: '--pending', description: 'assets waiting in the approve stage' },
    ],
    load: gov,
    handler: 'approvalsCommand',
  },
  {
    path: ['gov', 'gate'],
    description: 'May this asset serve production? kind:ref or kind:ref@version (exit 5 when not).',
    arguments: ['<ref>'],
    load: gov,
    handler: 'gateCommand',
  },
  {
    path: ['gov', 'assess'],
    description:
      'Complete a risk assessment of a use case: answer in the terminal, or --answers file.yaml (question id: option id).',
    arguments: ['<use-case>'],
    options: [
      { flags: '--answers <file>', description: 'answers as YAML or JSON instead of asking' },
      { flags: '--approach <id>', description: 'the approach the assessment is about' },
      { flags: '--note <text>', description: 'a note kept with the assessment' },
      {
        flags: '--dry-run',
        description: 'show the tier, reasons and required controls without saving anything',
      },
      {
        flags: '--lang <language>',
        description: 'language of the questions and reasons',
        choices: ['en', 'ko'],
      },
    ],
    load: govAssess,
    handler: 'assessCommand',
  },
  {
    path: ['gov', 'questionnaire'],
    description: "Print the project's risk questionnaire, or replace it with --replace file.yaml (admins).",
    options: [
      { flags: '--replace <file>', description: 'a questionnaire file (YAML or JSON) to put in force' },
    ],
    load: govAssess,
    handler: 'questionnaireCommand',
  },
  {
    path: ['gov', 'factsheet'],
    description:
      "Export a use case's factsheet (Markdown, JSON or PDF), captured from what governance recorded.",
    arguments: ['<use-case>'],
    options: [
      {
        flags: '--format <format>',
        description: 'md (default), json or pdf',
        choices: ['md', 'json', 'pdf'],
      },
      { flags: '-o, --output <file>', description: 'write to this file (stdout otherwise; a PDF needs it)' },
      { flags: '--approach <version>', description: 'approach id or version (default: the newest)' },
      { flags: '--lang <language>', description: 'language of Markdown and PDF', choices: ['en', 'ko'] },
    ],
    load: govFactsheet,
    handler: 'factsheetCommand',
  },
  {
    path: ['gov', 'factsheet-diff'],
    description: 'What changed between two approach versions of a use case, field by field.',
    arguments: ['<use-case>', '<from>', '<to>'],
    load: govFactsheet,
    handler: 'factsheetDiffCommand',
  },
];
