/**
 * @module cli/table/data
 * The `keel data` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const data = () => import('../commands/data.js');
const sources = () => import('../commands/data-sources.js');

const sourceArgument = ['<source>'];
const scheduleOptions = [
  { flags: '--every <seconds>', description: 'sync every N seconds' },
  { flags: '--cron <expr>', description: 'sync on a cron schedule (five fields, UTC)' },
];

export const dataCommands: CommandSpec[] = [
  {
    path: ['data', 'add'],
    description:
      'Add a CSV, Parquet or JSON file, or a table of a DuckDB or SQLite file, as a table of the project (uploaded; --local: the path itself, a folder of files too, where the server allows it; an https URL: read remotely; a postgres:// URL with --table: a snapshot of that table).',
    arguments: ['<file>'],
    options: [
      { flags: '--name <table>', description: 'table name (default: the file name)' },
      {
        flags: '--format <format>',
        description: 'file format',
        choices: ['csv', 'parquet', 'json', 'duckdb', 'sqlite', 'iceberg'],
      },
      {
        flags: '--table <name>',
        description: 'the table to read from a DuckDB or SQLite file, or a PostgreSQL database',
      },
      { flags: '--description <text>', description: 'what the table holds' },
      { flags: '--local', description: 'add the local path instead of uploading the file' },
    ],
    load: data,
    handler: 'addCommand',
  },
  {
    path: ['data', 'refresh'],
    description: "Read a PostgreSQL source's table again into a new snapshot.",
    arguments: ['<table>'],
    load: data,
    handler: 'refreshCommand',
  },
  {
    path: ['data', 'tables'],
    description: "List the project's tables.",
    load: data,
    handler: 'tablesCommand',
  },
  {
    path: ['data', 'describe'],
    description:
      "Show a table's columns, types, row count, null rates and samples; edit descriptions, or have a model draft them for review.",
    arguments: ['<table>'],
    options: [
      { flags: '--description <text>', description: "set the table's description" },
      { flags: '--set <column=text...>', description: "set columns' descriptions" },
      { flags: '--draft', description: 'have --model draft the descriptions (kept for review)' },
      { flags: '--model <id>', description: 'the model that drafts (provider:model)' },
      { flags: '--language <language>', description: 'language of the draft', choices: ['en', 'ko'] },
      {
        flags: '--accept',
        description: 'accept the draft as the descriptions (with --description/--set as edits)',
      },
      { flags: '--discard', description: 'discard the draft unreviewed' },
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
      { flags: '--page-size <n>', description: 'print the result page by page (the server keeps it)' },
      { flags: '--out <file>', description: 'stream the result as an export to this file' },
      {
        flags: '--format <format>',
        description: 'export format for --out (default: the file extension)',
        choices: ['csv', 'ndjson', 'parquet', 'arrow'],
      },
    ],
    load: data,
    handler: 'queryCommand',
  },
  {
    path: ['data', 'ask'],
    description:
      'Ask a question (Korean or English): the model writes SQL over the tables, Keel checks, masks and runs it, and prints the steps.',
    arguments: ['<question>'],
    options: [
      { flags: '--model <id>', description: 'provider:model that writes the SQL' },
      { flags: '--max-rows <n>', description: 'row limit (the server caps it)' },
      {
        flags: '--page-size <n>',
        description: 'print the result page by page, each next page read when needed (the server keeps it)',
      },
    ],
    load: data,
    handler: 'askCommand',
  },
  {
    path: ['data', 'sources', 'list'],
    description:
      'List the tables and queries whose rows feed a RAG collection, with their last and next sync.',
    load: sources,
    handler: 'sourcesListCommand',
  },
  {
    path: ['data', 'sources', 'add'],
    description:
      "Make a table's rows (or a read-only query's) a collection's documents, every masking policy applied; its first sync is a job, followed with a progress bar until it ends.",
    options: [
      { flags: '--collection <name>', description: 'the RAG collection that takes the rows' },
      { flags: '--table <table>', description: 'the table whose rows are read' },
      { flags: '--query <sql>', description: 'or a read-only query whose result rows are read' },
      { flags: '--name <name>', description: "the query rows' name (their documents are named after it)" },
      { flags: '--template <text>', description: 'row template with {{column}} placeholders' },
      { flags: '--text-columns <a,b>', description: 'or the columns that make the text' },
      { flags: '--metadata-columns <a,b>', description: "columns kept as the documents' metadata" },
      { flags: '--id-column <column>', description: "the column naming each row's document" },
      { flags: '--max-rows <n>', description: 'rows read at most' },
      ...scheduleOptions,
    ],
    load: sources,
    handler: 'sourcesAddCommand',
  },
  {
    path: ['data', 'sources', 'show'],
    description:
      'Show a RAG source (by id or table name): its rows, template, schedule, last sync and last error.',
    arguments: sourceArgument,
    load: sources,
    handler: 'sourcesShowCommand',
  },
  {
    path: ['data', 'sources', 'sync'],
    description: 'Sync a RAG source now (a job, followed with a progress bar until it ends).',
    arguments: sourceArgument,
    load: sources,
    handler: 'sourcesSyncCommand',
  },
  {
    path: ['data', 'sources', 'schedule'],
    description: "Set a RAG source's sync schedule, or remove it with --none.",
    arguments: sourceArgument,
    options: [...scheduleOptions, { flags: '--none', description: 'sync on demand only' }],
    load: sources,
    handler: 'sourcesScheduleCommand',
  },
  {
    path: ['data', 'sources', 'remove'],
    description: 'Remove a RAG source and its schedule (its documents stay in the collection).',
    arguments: sourceArgument,
    load: sources,
    handler: 'sourcesRemoveCommand',
  },
];
