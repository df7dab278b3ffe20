/**
 * @module sdk/audit
 * `client.audit`: read the audit log a page at a time (or all of it), and verify the chain.
 */
import type { AuditPageJson, AuditRecordJson, AuditVerifyJson } from '../api/audit.js';
import type { SdkTransport } from './transport.js';

export interface AuditListQuery {
  action?: string | undefined;
  actor?: string | undefined;
  project_id?: string | undefined;
  target_type?: string | undefined;
  target_id?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  cursor?: string | undefined;
  order?: 'asc' | 'desc' | undefined;
  limit?: number | undefined;
}

export class AuditApi {
  constructor(private readonly client: SdkTransport) {}

  list(query: AuditListQuery = {}): Promise<AuditPageJson> {
    return this.client.request('GET', '/api/v1/audit', { query: { ...query } });
  }

  /** Every matching record, following the cursor page by page. */
  async *all(query: Omit<AuditListQuery, 'cursor'> = {}): AsyncGenerator<AuditRecordJson> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ limit: 1000, ...query, ...(cursor ? { cursor } : {}) });
      yield* page.records;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  verify(signal?: AbortSignal): Promise<AuditVerifyJson> {
    return this.client.request('GET', '/api/v1/audit/verify', { signal });
  }
}
