/**
 * @module test/fuzz/support/load-operations
 * The operations of a running Keel, read from the `/openapi.json` it serves.
 */
import type { FuzzKeel } from './fuzz-keel.js';
import { type OpenApiDocument, type Operation, operationsOf } from './openapi-operations.js';
import { send } from './send.js';

export async function loadDocument(keel: Pick<FuzzKeel, 'app'>): Promise<OpenApiDocument> {
  const answer = await send(keel.app, { method: 'GET', path: '/openapi.json' });
  if (answer.status !== 200) throw new Error(`/openapi.json answered ${answer.status}`);
  return answer.json as OpenApiDocument;
}

export async function loadOperations(keel: Pick<FuzzKeel, 'app'>): Promise<Operation[]> {
  return operationsOf(await loadDocument(keel));
}
