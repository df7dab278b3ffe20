/**
 * @module api/data
 * Request and response schemas of `/api/v1/data`: sources, the catalog, read-only SQL and its
 * exports, natural-language questions, column tags and masking policies.
 */
import { z } from '@hono/zod-openapi';

export const dataFormatSchema = z.enum(['csv', 'parquet', 'json', 'duckdb', 'sqlite', 'iceberg', 'postgres']);

/** The table to read from a DuckDB or SQLite file (default: the file's only table). */
const sourceTableSchema = z.string().min(1).max(200).optional().openapi({
  description:
    'the table to read from a DuckDB or SQLite file (default: its only table), or from a PostgreSQL database (schema.table)',
});

export const dataSourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    format: dataFormatSchema,
    origin: z.enum(['upload', 'local', 'remote']),
    /** The table read from a database file. */
    table: z.string().nullable(),
    size_bytes: z.number(),
    description: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('DataSource');

export const addLocalSourceSchema = z
  .object({
    name: z.string().min(1).max(63),
    path: z.string().min(1).max(4096).optional().openapi({
      description:
        'a local file under an allowed folder, or a folder whose csv, parquet or json files are read together',
    }),
    url: z.string().min(1).max(4096).optional().openapi({
      description:
        'an https URL of a csv, parquet or json file, or of an Iceberg table (format iceberg; needs DuckDB httpfs); or a postgres:// URL whose `table` is read into a snapshot',
    }),
    format: dataFormatSchema.optional(),
    table: sourceTableSchema,
    description: z.string().max(4000).optional(),
  })
  .refine((body) => (body.path === undefined) !== (body.url === undefined), {
    message: 'give either path or url',
    path: ['path'],
  });

export const describeTableSchema = z.object({
  description: z.string().max(4000).optional(),
  columns: z.record(z.string().max(200), z.string().max(4000)).optional(),
});

export const dataColumnSchema = z.object({
  name: z.string(),
  type: z.string(),
  null_rate: z.number(),
  samples: z.array(z.unknown()),
  description: z.string(),
  tags: z.array(z.string()),
  masked: z.enum(['hash', 'partial', 'null', 'redact']).nullable(),
});

export const draftLanguageSchema = z.enum(['en', 'ko']);

/** Descriptions a model drafted, waiting for a person's review. */
export const dataDescriptionDraftSchema = z
  .object({
    description: z.string(),
    columns: z.record(z.string(), z.string()),
    model: z.string(),
    language: draftLanguageSchema,
    drafted_at: z.string(),
    drafted_by: z.string().nullable(),
  })
  .openapi('DataDescriptionDraft');

export const dataTableSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    row_count: z.number(),
    columns: z.array(dataColumnSchema),
    /** Descriptions drafted by a model and not yet reviewed (uploaded and local tables). */
    draft: dataDescriptionDraftSchema.nullable(),
  })
  .openapi('DataTable');

export const draftDescriptionsRequestSchema = z.strictObject({
  model: z.string().min(1).max(300).openapi({ description: 'the model that drafts, `provider:model`' }),
  language: draftLanguageSchema.default('en').openapi({ description: 'en (default) or ko' }),
});

export const acceptDescriptionsRequestSchema = z
  .strictObject({
    description: z.string().max(4000).optional(),
    columns: z.record(z.string().max(200), z.string().max(4000)).optional(),
  })
  .openapi({
    description:
      "Edits to the draft before it is accepted; a column's empty text keeps its current description",
  });

export const dataQueryRequestSchema = z
  .object({
    sql: z.string().min(1).max(100_000),
    params: z
      .array(z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .max(1000)
      .optional()
      .openapi({ description: 'values for $1, $2, … in the SQL (JSON results only)' }),
    max_rows: z.number().int().min(1).max(100_000).optional(),
    timeout_ms: z.number().int().min(1).max(600_000).optional(),
    format: z.enum(['json', 'csv', 'ndjson', 'parquet', 'arrow']).optional().openapi({
      description: 'json (default), or an export streamed as csv, ndjson, parquet or arrow (IPC stream)',
    }),
    page_size: z.number().int().min(1).max(10_000).optional().openapi({
      description:
        'JSON results in pages of this many rows: the result is kept on the server and the response carries next_page_token (max_rows then caps the whole result)',
    }),
  })
  .openapi('DataQueryRequest');

export const dataQueryResponseSchema = z
  .object({
    columns: z.array(z.object({ name: z.string(), type: z.string() })),
    rows: z.array(z.array(z.unknown())),
    row_count: z.number().int(),
    truncated: z.boolean(),
    tables: z.array(z.string()),
    /** Tables read through their masked projection for this caller. */
    masked: z.array(z.string()),
    elapsed_ms: z.number(),
    /** Paged results only: rows in the whole result, this page's first row, and the next page's token. */
    total_rows: z.number().int().optional(),
    offset: z.number().int().optional(),
    next_page_token: z.string().nullable().optional(),
  })
  .openapi('DataQueryResponse');

export const dataQueryPageRequestSchema = z
  .object({
    page_token: z.string().min(1).max(4096),
    timeout_ms: z.number().int().min(1).max(600_000).optional(),
  })
  .openapi('DataQueryPageRequest');

export const dataAskRequestSchema = z
  .object({
    question: z.string().min(1).max(4000),
    model: z.string().min(3).max(300).openapi({ description: 'provider:model that writes the SQL' }),
    max_rows: z.number().int().min(1).max(100_000).optional(),
    timeout_ms: z.number().int().min(1).max(600_000).optional(),
    page_size: z.number().int().min(1).max(10_000).optional().openapi({
      description:
        "The result in pages of this many rows, as a paged query's: the first page and next_page_token (read on with POST /api/v1/data/query/page)",
    }),
  })
  .openapi('DataAskRequest');

const stepError = z.object({ code: z.string(), message: z.string() });

export const dataAskStepSchema = z.object({
  step: z.enum(['select_tables', 'generate', 'check', 'run']),
  attempt: z.number().int().optional(),
  ok: z.boolean().optional(),
  tables: z.array(z.string()).optional(),
  candidates: z
    .array(z.object({ table: z.string(), score: z.number(), matched: z.array(z.string()) }))
    .optional(),
  model: z.string().optional(),
  sql: z.string().optional(),
  explanation: z.string().optional(),
  masked: z.array(z.string()).optional(),
  row_count: z.number().int().optional(),
  elapsed_ms: z.number().optional(),
  error: stepError.optional(),
});

export const dataAskResponseSchema = z
  .object({
    ok: z.boolean(),
    question: z.string(),
    sql: z.string(),
    explanation: z.string(),
    result: dataQueryResponseSchema.nullable(),
    masked_columns: z.array(z.string()),
    steps: z.array(dataAskStepSchema),
    error: stepError.optional(),
  })
  .openapi('DataAskResponse');

export const dataColumnTagsSchema = z.object({
  tags: z.array(z.string().min(1).max(40)).max(20),
});

export const dataTagSuggestionSchema = z.object({
  column: z.string(),
  tag: z.string(),
  /** PII types the detectors found in sampled values, and the share of values they matched. */
  entity_types: z.array(z.string()),
  share: z.number(),
});

export const maskingPolicyRequestSchema = z
  .object({
    tag: z.string().min(1).max(40).optional(),
    table: z.string().min(1).max(100).optional(),
    column: z.string().min(1).max(200).optional(),
    method: z.enum(['hash', 'partial', 'null', 'redact']),
    roles: z.array(z.enum(['admin', 'editor', 'validator', 'viewer'])).min(1),
  })
  .openapi('DataMaskingPolicyRequest');

export const maskingPolicySchema = z
  .object({
    id: z.string(),
    tag: z.string().nullable(),
    table: z.string().nullable(),
    column: z.string().nullable(),
    method: z.enum(['hash', 'partial', 'null', 'redact']),
    roles: z.array(z.string()),
  })
  .openapi('DataMaskingPolicy');

export const dataJoinKeyStatusSchema = z.enum(['proposed', 'accepted', 'rejected']);

export const dataJoinKeySchema = z
  .object({
    id: z.string(),
    from_table: z.string(),
    from_column: z.string(),
    to_table: z.string(),
    to_column: z.string(),
    score: z.number().openapi({ description: 'containment × (0.4 + 0.6 × name similarity), 0–1' }),
    evidence: z.object({
      name_similarity: z.number(),
      name_rule: z.enum(['names_table', 'equal', 'similar']),
      type_family: z.string(),
      containment: z.number().openapi({
        description: "share of the referring column's distinct values found in the referenced one",
      }),
      from_distinct: z.number(),
      to_distinct: z.number(),
      sampled: z.boolean(),
    }),
    status: dataJoinKeyStatusSchema,
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
  })
  .openapi('DataJoinKey');

export const dataJoinKeyDecisionSchema = z
  .object({ status: dataJoinKeyStatusSchema })
  .openapi('DataJoinKeyDecision');

export const dataSyncScheduleSchema = z
  .union([
    z.object({ every_seconds: z.number().int().min(60).max(31_622_400) }).strict(),
    z.object({ cron: z.string().min(9).max(200) }).strict(),
  ])
  .openapi('DataSyncSchedule', {
    description:
      'every N seconds (at least 60), or a cron expression in UTC: minute hour day-of-month month day-of-week',
  });

export const dataRagSourceRequestSchema = z
  .object({
    collection: z
      .string()
      .min(1)
      .max(200)
      .openapi({ description: 'the collection (id or name) that takes the rows' }),
    table: z.string().min(1).max(100).optional().openapi({ description: 'the table whose rows are read' }),
    query: z.string().min(1).max(20_000).optional().openapi({
      description: 'a read-only query whose result rows are read instead of a table (with name)',
    }),
    name: z
      .string()
      .min(1)
      .max(63)
      .optional()
      .openapi({ description: "a query source's name: its documents are named <name>/<row key>" }),
    template: z.string().max(10_000).optional().openapi({
      description: "each row's text, with {{column}} placeholders; without it, the text columns",
    }),
    text_columns: z.array(z.string().min(1).max(200)).max(50).optional(),
    metadata_columns: z.array(z.string().min(1).max(200)).max(50).optional(),
    id_column: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "names each row's document; without it, a hash of the row does" }),
    max_rows: z.number().int().min(1).max(100_000).optional(),
    schedule: dataSyncScheduleSchema.nullable().optional(),
  })
  .openapi('DataRagSourceRequest');

export const dataRagScheduleRequestSchema = z
  .object({ schedule: dataSyncScheduleSchema.nullable() })
  .openapi('DataRagScheduleRequest');

export const dataRagSyncSchema = z
  .object({
    rows: z.number().int(),
    queued: z.number().int(),
    unchanged: z.number().int(),
    removed: z.number().int(),
    empty: z.number().int(),
    truncated: z.boolean(),
    masked: z.boolean(),
    job_id: z.string().nullable(),
  })
  .openapi('DataRagSync');

export const dataRagSourceSchema = z
  .object({
    id: z.string(),
    collection_id: z.string(),
    table: z.string(),
    query: z.string().nullable(),
    template: z.string().nullable(),
    text_columns: z.array(z.string()),
    metadata_columns: z.array(z.string()),
    id_column: z.string().nullable(),
    max_rows: z.number().int(),
    schedule: dataSyncScheduleSchema.nullable(),
    next_sync_at: z.string().nullable(),
    last_synced_at: z.string().nullable(),
    last_sync: dataRagSyncSchema.nullable(),
    last_attempt_at: z.string().nullable(),
    last_error: z.object({ code: z.string(), message: z.string() }).nullable(),
    running_job: z.string().nullable().openapi({
      description:
        'the requested sync (the first, or "sync now") queued or running: follow it on /api/v1/jobs/{id} and its events',
    }),
  })
  .openapi('DataRagSource');
