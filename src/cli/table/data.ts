/**
 * @module cli/table/data
 * The `keel data` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const data = () => import('../commands/data.js');

export const dataCommands: CommandSpec[] = [
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
    ],
    load: data,
    handler: 'askCommand',
  },
];
