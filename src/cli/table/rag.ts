/**
 * @module cli/table/rag
 * The `keel rag` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const rag = () => import('../commands/rag.js');

export const ragCommands: CommandSpec[] = [
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
];
