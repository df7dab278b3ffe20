/**
 * @module cli/main
 * The `keel` command table. Each entry names its arguments and options and lazily loads its
 * handler from `commands/<name>.ts`, so `keel --help` starts fast and heavy modules (llama.cpp,
 * PGlite) load only for the commands that need them.
 */
import { Command, CommanderError, Option } from 'commander';
import type { CommandHandler, GlobalOptions } from './command.js';
import { type CliIO, processIO, reportError } from './output.js';

export type { CommandContext, CommandHandler, GlobalOptions } from './command.js';

interface CommandSpec {
  /** Words of the command, e.g. ['models', 'pull']. */
  path: string[];
  description: string;
  arguments?: string[];
  options?: { flags: string; description: string; defaultValue?: unknown; choices?: string[] }[];
  load: () => Promise<Record<string, unknown>>;
  /** Exported handler name in the loaded module. */
  handler: string;
}

const serve = () => import('./commands/serve.js');
const models = () => import('./commands/models.js');
const modelsList = () => import('./commands/models-list.js');
const keys = () => import('./commands/keys.js');
const generate = () => import('./commands/generate.js');
const doctor = () => import('./commands/doctor.js');
const prompt = () => import('./commands/prompt.js');
const promptRun = () => import('./commands/prompt-run.js');
const promptFiles = () => import('./commands/prompt-files.js');
const promptRuns = () => import('./commands/prompt-runs.js');
const guard = () => import('./commands/guard.js');
const redteam = () => import('./commands/redteam.js');
const rag = () => import('./commands/rag.js');
const audit = () => import('./commands/audit.js');
const data = () => import('./commands/data.js');
const monitor = () => import('./commands/monitor.js');
const gov = () => import('./commands/gov.js');
const govAssess = () => import('./commands/gov-assess.js');
const govFactsheet = () => import('./commands/gov-factsheet.js');
const evals = () => import('./commands/eval.js');
const deploy = () => import('./commands/deploy.js');
const tune = () => import('./commands/tune.js');

export const commandTable: CommandSpec[] = [
  {
    path: ['serve'],
    description: 'Start the Keel server (API and console).',
    options: [
      { flags: '--host <host>', description: 'address to listen on (default 127.0.0.1)' },
      { flags: '--port <port>', description: 'port to listen on (default 4141)' },
    ],
    load: serve,
    handler: 'serveCommand',
  },
  {
    path: ['models', 'list'],
    description: 'List models: local GGUF files, remote providers and the catalog.',
    load: modelsList,
    handler: 'listCommand',
  },
  {
    path: ['models', 'show'],
    description: 'Show one model or catalog entry.',
    arguments: ['<id>'],
    load: modelsList,
    handler: 'showCommand',
  },
  {
    path: ['models', 'pull'],
    description:
      'Download a model into <data-dir>/models: a catalog id, hf:owner/repo/file.gguf or an https URL.',
    arguments: ['<source>'],
    options: [
      { flags: '--sha256 <hex>', description: 'expected SHA-256 of the file' },
      { flags: '--name <stem>', description: 'file name to save as (without .gguf)' },
    ],
    load: models,
    handler: 'pullCommand',
  },
  {
    path: ['models', 'make-test-model'],
    description:
      'Write the tiny random-weight GGUF the tests use, for offline smoke tests: a name (default tiny) goes to <data-dir>/models/<name>.gguf (llamacpp:<name>), a path where it says.',
    arguments: ['[name-or-file]'],
    load: models,
    handler: 'makeTestModelCommand',
  },
  {
    path: ['keys', 'create'],
    description: 'Create an API key (shown once).',
    options: [
      { flags: '--name <name>', description: 'a name to recognise the key by', defaultValue: 'cli' },
      {
        flags: '--role <role>',
        description: 'admin, editor, validator or viewer',
        defaultValue: 'editor',
        choices: ['admin', 'editor', 'validator', 'viewer'],
      },
      { flags: '--expires-in <duration>', description: 'lifetime, e.g. 30d, 12h (default: never)' },
    ],
    load: keys,
    handler: 'createCommand',
  },
  {
    path: ['keys', 'list'],
    description: 'List the API keys of the project.',
    options: [{ flags: '--all', description: 'include revoked keys' }],
    load: keys,
    handler: 'listCommand',
  },
  {
    path: ['keys', 'revoke'],
    description: 'Revoke an API key.',
    arguments: ['<key-id>'],
    load: keys,
    handler: 'revokeCommand',
  },
  {
    path: ['keys', 'recover'],
    description:
      'Issue a fresh organisation-admin key straight in the database (no server, no key needed; stop `keel serve` first when it uses the embedded database). Audited.',
    load: keys,
    handler: 'recoverCommand',
  },
  {
    path: ['audit', 'verify'],
    description:
      'Check the whole audit chain; names the first record that was altered, removed or reordered (exit 65).',
    load: audit,
    handler: 'verifyCommand',
  },
  {
    path: ['audit', 'export'],
    description:
      'Write audit records as JSON Lines to stdout, oldest first (--project: only that project): keel audit export > audit.jsonl',
    options: [
      { flags: '--since <time>', description: 'records at or after this ISO 8601 time' },
      { flags: '--until <time>', description: 'records before this ISO 8601 time' },
      { flags: '--action <action>', description: 'an action, or a prefix ending in * (template.*)' },
    ],
    load: audit,
    handler: 'exportCommand',
  },
  {
    path: ['data', 'add'],
    description:
      'Add a CSV, Parquet or JSON file as a table of the project (uploaded; --local: the path itself, where the server allows it).',
    arguments: ['<file>'],
    options: [
      { flags: '--name <table>', description: 'table name (default: the file name)' },
      { flags: '--format <format>', description: 'file format', choices: ['csv', 'parquet', 'json'] },
      { flags: '--description <text>', description: 'what the table holds' },
      { flags: '--local', description: 'add the local path instead of uploading the file' },
    ],
    load: data,
    handler: 'addCommand',
  },
  {
    path: ['data', 'tables'],
    description: "List the project's tables.",
    load: data,
    handler: 'tablesCommand',
  },
  {
    path: ['data', 'describe'],
    description: "Show a table's columns, types, row count, null rates and samples; edit descriptions.",
    arguments: ['<table>'],
    options: [
      { flags: '--description <text>', description: "set the table's description" },
      { flags: '--set <column=text...>', description: "set columns' descriptions" },
    ],
    load: data,
    handler: 'describeCommand',
  },
  {
    path: ['data', 'query'],
    description: 'Run one read-only SELECT over the project tables.',
    arguments: ['<sql>'],
    options: [
      { flags: '--max-rows <n>', description: 'row limit (the server caps it)' },
      { flags: '--timeout <ms>', description: 'time limit in milliseconds (the server caps it)' },
      { flags: '--csv', description: 'print the result as CSV' },
    ],
    load: data,
    handler: 'queryCommand',
  },
  {
    path: ['tune', 'head'],
    description: 'Train a task head (logistic regression on character n-grams) on a labelled JSONL file.',
    options: [
      { flags: '--dataset <file>', description: 'JSONL file, one labelled text a line' },
      { flags: '--text-field <name>', description: 'field holding the text', defaultValue: 'text' },
      { flags: '--label-field <name>', description: 'field holding the label', defaultValue: 'label' },
      { flags: '--name <head>', description: 'head name (default: the file name)' },
      { flags: '--seed <n>', description: 'random seed' },
      { flags: '--positive-label <label>', description: 'label a detector flags (sets an operating point)' },
      { flags: '--max-fpr <rate>', description: 'highest validation false-positive rate for that label' },
    ],
    load: tune,
    handler: 'headCommand',
  },
  {
    path: ['generate'],
    description: 'Generate text with a model.',
    arguments: ['<prompt>'],
    options: [
      { flags: '-m, --model <id>', description: 'model id, provider:model' },
      { flags: '--stream', description: 'print tokens as they arrive' },
      { flags: '--system <text>', description: 'system message (chat models)' },
      { flags: '--max-new-tokens <n>', description: 'max_new_tokens' },
      { flags: '--temperature <t>', description: 'temperature (implies sampling)' },
      { flags: '--seed <n>', description: 'random_seed' },
      { flags: '--stop <sequence...>', description: 'stop sequences' },
      { flags: '--decoding <method>', description: 'greedy or sample', choices: ['greedy', 'sample'] },
    ],
    load: generate,
    handler: 'generateCommand',
  },
  {
    path: ['rag', 'create'],
    description: 'Create a RAG collection.',
    arguments: ['<name>'],
    options: [
      {
        flags: '--embedder <id>',
        description: 'embedding model, provider:model (default hashing:ngram-v1, lexical, no model needed)',
      },
      {
        flags: '--chunker <strategy>',
        description: 'chunker',
        choices: ['fixed', 'recursive', 'sentence', 'markdown', 'records'],
      },
      { flags: '--size <n>', description: 'chunk size (characters)' },
      { flags: '--overlap <n>', description: 'chunk overlap (characters)' },
      { flags: '--model <id>', description: 'model that answers questions, provider:model' },
      { flags: '--description <text>', description: 'what the collection holds' },
    ],
    load: rag,
    handler: 'createCommand',
  },
  {
    path: ['rag', 'list'],
    description: 'List the RAG collections of the project.',
    load: rag,
    handler: 'listCommand',
  },
  {
    path: ['rag', 'ingest'],
    description:
      'Add or replace documents in a collection: files, or directories (recursively; hidden entries and node_modules skipped); shows ingestion progress.',
    arguments: ['<collection>', '<paths...>'],
    options: [
      {
        flags: '--include <globs>',
        description:
          'in directories, only files matching these globs, comma-separated (e.g. "*.md,guides/**")',
      },
      {
        flags: '--exclude <globs>',
        description: 'in directories, leave out files or folders matching these globs',
      },
    ],
    load: rag,
    handler: 'ingestCommand',
  },
  {
    path: ['rag', 'documents'],
    description: 'List the documents of a collection.',
    arguments: ['<collection>'],
    load: rag,
    handler: 'documentsCommand',
  },
  {
    path: ['rag', 'search'],
    description: 'Search a collection.',
    arguments: ['<collection>', '<query>'],
    options: [
      { flags: '--mode <mode>', description: 'retrieval mode', choices: ['vector', 'keyword', 'hybrid'] },
      { flags: '--top-k <n>', description: 'hits to return' },
    ],
    load: rag,
    handler: 'searchCommand',
  },
  {
    path: ['rag', 'ask'],
    description: 'Answer a question from a collection, with citations.',
    arguments: ['<collection>', '<question>'],
    options: [
      { flags: '-m, --model <id>', description: 'model, provider:model (default: the collection’s)' },
      { flags: '--top-k <n>', description: 'passages to give the model' },
      { flags: '--stream', description: 'print the answer as it is written' },
    ],
    load: rag,
    handler: 'askCommand',
  },
  {
    path: ['rag', 'experiment'],
    description:
      'Evaluate a grid of configurations on a question file (JSON or JSON Lines) and print the leaderboard.',
    arguments: ['<collection>', '<questions-file>'],
    options: [
      { flags: '--chunker <list>', description: 'chunkers, comma-separated' },
      { flags: '--size <list>', description: 'chunk sizes, comma-separated' },
      { flags: '--overlap <list>', description: 'overlaps, comma-separated' },
      { flags: '--embedder <list>', description: 'embedders, comma-separated' },
      { flags: '--top-k <list>', description: 'top-k values, comma-separated' },
      { flags: '--mode <list>', description: 'retrieval modes, comma-separated' },
      {
        flags: '--model <list>',
        description: 'answer models, comma-separated (answers are scored when given)',
      },
      { flags: '--metric <name>', description: 'leaderboard order (mrr, recall_at_k, ndcg, token_f1, …)' },
      { flags: '--apply', description: 'save the best configuration as the collection’s' },
    ],
    load: rag,
    handler: 'experimentCommand',
  },
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
  {
    path: ['guard', 'check'],
    description:
      'Check text from stdin for PII, hate/abuse/profanity and prompt injection; prints the spans found.',
    options: [
      { flags: '--text <text>', description: 'check this text instead of stdin' },
      {
        flags: '--policy <name>',
        description: "a stored guardrail policy of the project (default: the project's)",
      },
      {
        flags: '--detector <name...>',
        description: 'run only these detectors',
        choices: ['pii', 'hap', 'injection'],
      },
      { flags: '--threshold <score>', description: 'report spans scoring at least this (0–1)' },
      { flags: '--mode <mode>', description: 'what the text is', choices: ['prompt', 'output', 'document'] },
      { flags: '--output', description: 'treat the text as model output (output rules of the policy)' },
      { flags: '--show-text', description: 'print the matched text too (it may be personal data)' },
    ],
    load: guard,
    handler: 'checkCommand',
  },
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
  {
    path: ['doctor'],
    description: 'Check what is configured, reachable and missing, and how to fix it.',
    load: doctor,
    handler: 'doctorCommand',
  },
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
    path: ['deploy', 'create'],
    description:
      'Deploy a template version (--template name@version) or a collection (--collection id) into a space.',
    arguments: ['<name>'],
    options: [
      { flags: '--template <ref>', description: 'template: name, name@version or name@label' },
      { flags: '--collection <id>', description: 'RAG collection id or name' },
      { flags: '--space <space>', description: "space id or name (default: the project's default space)" },
      { flags: '--serving-name <name>', description: 'the name inference addresses it by' },
      { flags: '--model <id>', description: "provider:model (default: the template's)" },
      { flags: '--policy <name>', description: 'guardrail policy over the template’s' },
    ],
    load: deploy,
    handler: 'createCommand',
  },
  {
    path: ['deploy', 'list'],
    description: "List the project's deployments.",
    options: [{ flags: '--space <space>', description: 'only this space' }],
    load: deploy,
    handler: 'listCommand',
  },
  {
    path: ['deploy', 'rollback'],
    description: 'Serve a previous version again (default: the one before the current).',
    arguments: ['<deployment>'],
    options: [{ flags: '--to <version>', description: 'the version to serve' }],
    load: deploy,
    handler: 'rollbackCommand',
  },
  {
    path: ['deploy', 'split'],
    description:
      'Split traffic between two versions: keel deploy split <deployment> 1=90 2=10 (--off ends it).',
    arguments: ['<deployment>', '[weights...]'],
    options: [
      { flags: '--random', description: 'draw per request instead of hashing the request id' },
      { flags: '--off', description: 'end the split' },
    ],
    load: deploy,
    handler: 'splitCommand',
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
  {
    path: ['monitor', 'list'],
    description: "List the project's monitors (traffic, guardrails, drift, fairness).",
    options: [{ flags: '--deployment <id>', description: 'only the monitors of this deployment' }],
    load: monitor,
    handler: 'listCommand',
  },
  {
    path: ['monitor', 'create'],
    description:
      'Create a monitor: keel monitor create errors --kind traffic --thresholds "error_rate>0.05:critical"',
    arguments: ['<name>'],
    options: [
      {
        flags: '--kind <kind>',
        description: 'what it measures',
        choices: ['traffic', 'guardrails', 'drift', 'fairness'],
      },
      { flags: '--deployment <id>', description: 'watch one deployment (default: the whole project)' },
      { flags: '--thresholds <list>', description: 'metric<op>value[:severity], comma-separated' },
      { flags: '--interval <seconds>', description: 'how often it runs (default 300)' },
      { flags: '--window <seconds>', description: 'the window each run looks at (default: the interval)' },
      { flags: '--baseline <seconds>', description: 'drift: the baseline window before it (default 86400)' },
      { flags: '--attribute <name>', description: 'fairness: the protected attribute' },
      { flags: '--favourable <list>', description: 'fairness: favourable outcomes, comma-separated' },
      {
        flags: '--webhook <url>',
        description: 'deliver alerts here (signed; public addresses only unless allowed)',
      },
    ],
    load: monitor,
    handler: 'createCommand',
  },
  {
    path: ['monitor', 'run'],
    description: 'Run a monitor now and show its values and the alerts raised.',
    arguments: ['<id>'],
    load: monitor,
    handler: 'runCommand',
  },
  {
    path: ['monitor', 'results'],
    description: "A monitor's past runs, newest first.",
    arguments: ['<id>'],
    options: [{ flags: '--limit <n>', description: 'how many (default 50)' }],
    load: monitor,
    handler: 'resultsCommand',
  },
  {
    path: ['monitor', 'alerts'],
    description: 'Alerts raised by monitors, newest first, with their webhook delivery.',
    options: [{ flags: '--monitor <id>', description: 'only this monitor' }],
    load: monitor,
    handler: 'alertsCommand',
  },
  {
    path: ['monitor', 'incidents'],
    description: 'Incidents opened by alerts.',
    options: [
      {
        flags: '--status <status>',
        description: 'only these',
        choices: ['open', 'acknowledged', 'resolved'],
      },
    ],
    load: monitor,
    handler: 'incidentsCommand',
  },
  {
    path: ['monitor', 'ack'],
    description: 'Acknowledge an incident.',
    arguments: ['<incident>'],
    options: [{ flags: '--note <text>', description: 'add a note' }],
    load: monitor,
    handler: 'acknowledgeCommand',
  },
  {
    path: ['monitor', 'resolve'],
    description: 'Resolve an incident.',
    arguments: ['<incident>'],
    options: [{ flags: '--note <text>', description: 'add a note' }],
    load: monitor,
    handler: 'resolveCommand',
  },
  {
    path: ['monitor', 'limits'],
    description: "The ledger's limits and budgets with their use in the current window.",
    load: monitor,
    handler: 'limitsCommand',
  },
];

export function buildProgram(io: CliIO, onExit: (code: number) => void): Command {
  const program = new Command('keel')
    .description('Keel: open enterprise generative-AI platform.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .option('-c, --config <file>', 'config file (default ./keel.yaml or KEEL_CONFIG)')
    .option('-d, --data-dir <dir>', 'data directory (default .keel or KEEL_DATA_DIR)')
    .option('--json', 'print JSON for scripts')
    .option('--url <url>', 'talk to a running Keel server (default KEEL_URL)')
    .option('--key <key>', 'API key for --url (default KEEL_API_KEY)')
    .option('-p, --project <id>', 'project id (default: the key’s project)')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride()
    .showHelpAfterError();

  const groups = new Map<string, Command>();
  for (const spec of commandTable) {
    let parent = program;
    for (const word of spec.path.slice(0, -1)) {
      let group = groups.get(word);
      if (!group) {
        group = parent.command(word).description(`${word} commands`);
        groups.set(word, group);
      }
      parent = group;
    }
    const command = parent.command(spec.path.at(-1)!).description(spec.description);
    for (const argument of spec.arguments ?? []) command.argument(argument);
    for (const option of spec.options ?? []) {
      const opt = new Option(option.flags, option.description);
      if (option.defaultValue !== undefined) opt.default(option.defaultValue);
      if (option.choices) opt.choices(option.choices);
      command.addOption(opt);
    }
    command.action(async (...actionArgs: unknown[]) => {
      const commandObject = actionArgs.at(-1) as Command;
      const options = actionArgs.at(-2) as Record<string, unknown>;
      const args = actionArgs
        .slice(0, -2)
        .flatMap((value) => (Array.isArray(value) ? value : [value])) as string[];
      const global = program.opts() as GlobalOptions;
      try {
        const module = await spec.load();
        const handler = module[spec.handler] as CommandHandler;
        const code = await handler({ io, global }, args, { ...commandObject.opts(), ...options });
        onExit(code ?? 0);
      } catch (error) {
        onExit(reportError(io, error, Boolean(global.json)));
      }
    });
  }
  return program;
}

/** Runs the CLI; resolves with the exit code. Tests call this with their own IO. */
export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  let exitCode: number | undefined;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return reportError(io, error, false);
  }
  return exitCode ?? 0;
}
