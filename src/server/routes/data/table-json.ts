/**
 * @module server/routes/data/table-json
 * A table's catalog entry as the API answers it, with the draft of its descriptions.
 */
import { KeelError } from '../../../core/errors.js';
import type { DataService, DescriptionDraft, TableCatalog } from '../../../data/index.js';

export function tableJson(table: TableCatalog, draft: DescriptionDraft | null) {
  return {
    name: table.name,
    description: table.description,
    row_count: table.rowCount,
    draft,
    columns: table.columns.map((column) => ({
      name: column.name,
      type: column.type,
      null_rate: column.nullRate,
      samples: column.samples,
      description: column.description,
      tags: column.tags,
      masked: column.masked,
    })),
  };
}

/** The table's draft, or null (tables on Trino keep none). */
export async function draftOf(
  data: DataService,
  projectId: string,
  name: string,
): Promise<DescriptionDraft | null> {
  try {
    return (await data.source(projectId, name)).description_draft;
  } catch (error) {
    if (error instanceof KeelError && error.code === 'not_found') return null;
    throw error;
  }
}
