/**
 * @module data/ask-service
 * Natural-language questions over a project's tables, in Korean or English. The steps, each kept
 * in the answer: pick the tables (search over the catalog and its descriptions), generate SQL with
 * the chosen model (JSON output under a schema — a grammar on llama.cpp, `json_schema` on
 * OpenAI-compatible servers), check it (one read-only SELECT over known tables and columns, the
 * caller's masks applied), run it, and on a failed check or run make one repair attempt with the
 * error message. Masked columns are named to the model and their sample values never sent. With a
 * page size, the result is a paged query's (query-pages.ts): its first page and a page token.
 */

import { KeelError } from '../core/errors.js';
import type { GenerationService } from '../models/index.js';
import type { CallContext } from '../spec/language-model.js';
import type { TableCatalog } from './catalog.js';
import type { PlannedQuery } from './engine.js';
import type { QueryResult } from './query-runner.js';
import { buildSqlPrompt, type KnownJoin, parseSqlReply, sqlReplySchema } from './sql-prompt.js';
import { rankTables, type TableMatch } from './table-search.js';

/** Tables shown to the model at most; with this many or fewer, all of them are. */
const MAX_TABLES = 6;

type QueryAnswer = QueryResult & { tables: string[]; masked: string[] };
/** A paged result's first page (query-pages.ts). */
type PagedAnswer = QueryAnswer & { totalRows: number; offset: number; nextPageToken: string | null };

interface RunRequest {
  sql: string;
  role?: string | undefined;
  maxRows?: number | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** What questions need of the data service (data-service.ts), as a port to keep the import one-way. */
export interface AskData {
  catalogs(projectId: string, role?: string): Promise<TableCatalog[]>;
  /** The project's join keys; accepted ones are given to the model. */
  joins?(projectId: string): Promise<Array<KnownJoin & { status: string }>>;
  check(projectId: string, request: { sql: string; role?: string | undefined }): Promise<PlannedQuery>;
  query(projectId: string, request: RunRequest): Promise<QueryAnswer>;
  /** Runs the query with its result kept on the server, read in pages. */
  queryPaged(projectId: string, request: RunRequest & { pageSize: number }): Promise<PagedAnswer>;
}

export interface AskRequest {
  question: string;
  /** Model id, `provider:model`. */
  model: string;
  role?: string | undefined;
  maxRows?: number | undefined;
  timeoutMs?: number | undefined;
  /** Rows per page: the result comes as its first page and a page token. */
  pageSize?: number | undefined;
  signal?: AbortSignal | undefined;
  context?: CallContext | undefined;
}

export type AskStep =
  | { step: 'select_tables'; tables: string[]; candidates: TableMatch[]; elapsed_ms: number }
  | {
      step: 'generate';
      attempt: number;
      model: string;
      sql: string;
      explanation: string;
      elapsed_ms: number;
    }
  | {
      step: 'check';
      attempt: number;
      ok: boolean;
      tables?: string[];
      masked?: string[];
      error?: { code: string; message: string };
    }
  | {
      step: 'run';
      attempt: number;
      ok: boolean;
      row_count?: number;
      elapsed_ms: number;
      error?: { code: string; message: string };
    };

export interface AskAnswer {
  ok: boolean;
  question: string;
  sql: string;
  explanation: string;
  result: QueryAnswer | PagedAnswer | null;
  /** Masked columns the answer's tables hold for this caller (`table.column`). */
  masked_columns: string[];
  steps: AskStep[];
  error?: { code: string; message: string };
}

export class AskService {
  constructor(
    private readonly options: {
      data: AskData;
      generation: Pick<GenerationService, 'generate'>;
    },
  ) {}

  async ask(projectId: string, request: AskRequest): Promise<AskAnswer> {
    const steps: AskStep[] = [];
    let started = performance.now();
    const catalogs = await this.options.data.catalogs(projectId, request.role);
    if (!catalogs.length) {
      throw new KeelError('unprocessable', 'This project has no tables to ask about: add a source first.', {
        issues: [{ code: 'no_tables', path: ['question'], message: 'no tables' }],
      });
    }
    const candidates = rankTables(request.question, catalogs);
    const chosen = selectTables(catalogs, candidates);
    steps.push({
      step: 'select_tables',
      tables: chosen.map((table) => table.name),
      candidates: candidates.slice(0, 10),
      elapsed_ms: performance.now() - started,
    });
    const maskedColumns = chosen.flatMap((table) =>
      table.columns.filter((column) => column.masked).map((column) => `${table.name}.${column.name}`),
    );
    const accepted = ((await this.options.data.joins?.(projectId)) ?? []).filter(
      (join) => join.status === 'accepted',
    );
    const messages = buildSqlPrompt(request.question, chosen, accepted);
    let sql = '';
    let explanation = '';
    let failure: { code: string; message: string } | undefined;
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (failure) {
        messages.push(
          { role: 'assistant', content: JSON.stringify({ sql, explanation }) },
          {
            role: 'user',
            content: `That SQL failed: ${failure.message}\nAnswer again with corrected SQL, in the same JSON form.`,
          },
        );
      }
      started = performance.now();
      const reply = await this.options.generation.generate(
        {
          model: request.model,
          prompt: { type: 'chat', messages: [...messages] },
          responseFormat: { type: 'json', schema: sqlReplySchema, name: 'sql_answer' },
          parameters: { decodingMethod: 'greedy', maxNewTokens: 512 },
          ...(request.signal ? { abortSignal: request.signal } : {}),
        },
        request.context,
      );
      ({ sql, explanation } = parseSqlReply(reply.text));
      steps.push({
        step: 'generate',
        attempt,
        model: request.model,
        sql,
        explanation,
        elapsed_ms: performance.now() - started,
      });
      try {
        const planned = await this.options.data.check(projectId, { sql, role: request.role });
        steps.push({ step: 'check', attempt, ok: true, tables: planned.tables, masked: planned.masked });
      } catch (error) {
        failure = errorOf(error);
        steps.push({ step: 'check', attempt, ok: false, error: failure });
        continue;
      }
      started = performance.now();
      try {
        const run: RunRequest = {
          sql,
          role: request.role,
          maxRows: request.maxRows,
          timeoutMs: request.timeoutMs,
          signal: request.signal,
        };
        const paged = request.pageSize
          ? await this.options.data.queryPaged(projectId, { ...run, pageSize: request.pageSize })
          : null;
        const result = paged ?? (await this.options.data.query(projectId, run));
        steps.push({
          step: 'run',
          attempt,
          ok: true,
          row_count: paged ? paged.totalRows : result.rows.length,
          elapsed_ms: performance.now() - started,
        });
        return {
          ok: true,
          question: request.question,
          sql,
          explanation,
          result,
          masked_columns: maskedColumns,
          steps,
        };
      } catch (error) {
        failure = errorOf(error);
        steps.push({
          step: 'run',
          attempt,
          ok: false,
          elapsed_ms: performance.now() - started,
          error: failure,
        });
        // A cancelled request is not repaired.
        if (error instanceof KeelError && error.code === 'client_closed') throw error;
      }
    }
    return {
      ok: false,
      question: request.question,
      sql,
      explanation,
      result: null,
      masked_columns: maskedColumns,
      steps,
      ...(failure ? { error: failure } : {}),
    };
  }
}

/** The best-matching tables; all of them when there are few, the first few when nothing matched. */
function selectTables(catalogs: readonly TableCatalog[], candidates: readonly TableMatch[]): TableCatalog[] {
  if (catalogs.length <= MAX_TABLES) return [...catalogs];
  const byName = new Map(catalogs.map((table) => [table.name, table]));
  const picked = candidates.slice(0, MAX_TABLES).map((match) => byName.get(match.table)!);
  return picked.length ? picked : catalogs.slice(0, MAX_TABLES);
}

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof KeelError) {
    return { code: error.issues?.[0]?.code ?? error.code, message: error.message };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
