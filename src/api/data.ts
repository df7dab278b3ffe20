/**
 * @module api/data
 * Request and response schemas of `/api/v1/data`: sources, the catalog and read-only SQL.
 */
import { z } from '@hono/zod-openapi';

export const dataFormatSchema = z.enum(['csv', 'parquet', 'json']);

export const dataSourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    format: dataFormatSchema,
    origin: z.enum(['upload', 'local']),
    size_bytes: z.number(),
    description: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('DataSource');

export const addLocalSourceSchema = z.object({
  name: z.string().min(1).max(63),
  path: z.string().min(1).max(4096).openapi({ description: 'a local file under an allowed folder' }),
  format: dataFormatSchema.optional(),
  description: z.string().max(4000).optional(),
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
});

export const dataTableSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    row_count: z.number(),
    columns: z.array(dataColumnSchema),
  })
  .openapi('DataTable');

export const dataQueryRequestSchema = z
  .object({
    sql: z.string().min(1).max(100_000),
    max_rows: z.number().int().min(1).max(100_000).optional(),
    timeout_ms: z.number().int().min(1).max(600_000).optional(),
    format: z.enum(['json', 'csv']).optional().openapi({ description: 'json (default) or csv' }),
  })
  .openapi('DataQueryRequest');

export const dataQueryResponseSchema = z
  .object({
    columns: z.array(z.object({ name: z.string(), type: z.string() })),
    rows: z.array(z.array(z.unknown())),
    row_count: z.number().int(),
    truncated: z.boolean(),
    tables: z.array(z.string()),
    elapsed_ms: z.number(),
  })
  .openapi('DataQueryResponse');
