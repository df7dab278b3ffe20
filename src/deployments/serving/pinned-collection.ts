/**
 * @module deployments/serving/pinned-collection
 * A RAG deployment serves the collection configuration version it pinned, not the collection's
 * current one: its retrieval and answer settings (mode, top_k, fusion, answer model, template,
 * temperature, verification) are read from that version for every request. The index itself is the
 * collection's (documents are indexed once, with the current loader, chunker and embedder).
 */
import { KeelError } from '../../core/errors.js';
import type { AskOptions, RagService } from '../../rag/index.js';
import type { Served } from './deployment-types.js';

/**
 * A collection reference with an optional configuration version: `docs` (the current one) or
 * `docs@2`. Collection names cannot hold `@`, so the suffix is unambiguous.
 */
export function parseCollectionRef(ref: string): { collection: string; version: number | null } {
  const match = /^(.+)@(\d+)$/.exec(ref);
  return match ? { collection: match[1]!, version: Number(match[2]) } : { collection: ref, version: null };
}

/** The collection a deployment version will pin, and its configuration version (a missing one is a 404). */
export async function resolvePinnedCollection(rag: RagService, projectId: string, ref: string) {
  const { collection: name, version } = parseCollectionRef(ref);
  const collection = await rag.store.find(projectId, name);
  if (version === null || version === collection.config_version)
    return { id: collection.id, name: collection.name, version: collection.config_version };
  const config = await rag.store.configAt(projectId, collection.id, version);
  if (!config) {
    throw new KeelError(
      'not_found',
      `Collection "${collection.name}" has no configuration version ${version} (current: ${collection.config_version}).`,
      {
        issues: [
          {
            code: 'unknown_version',
            path: ['asset', 'ref'],
            message: `configuration versions run 1 to ${collection.config_version}`,
          },
        ],
      },
    );
  }
  return { id: collection.id, name: collection.name, version };
}

/**
 * The options that make an answer use the pinned version's settings; a collection or version that
 * no longer exists is `pinned_version_unavailable` (409), naming both, rather than silently
 * serving whatever the collection holds now.
 */
export async function pinnedAskOptions(
  rag: RagService,
  caller: Parameters<RagService['configAt']>[0],
  served: Served,
): Promise<AskOptions> {
  const { asset } = served.version;
  const config = await rag.configAt(caller, asset.id, asset.version);
  if (!config) {
    throw new KeelError(
      'pinned_version_unavailable',
      `Deployment "${served.deployment.name}" version ${served.version.version} pins collection "${asset.name}" configuration version ${asset.version}, which no longer exists: deploy a current version or roll back.`,
      {
        issues: [
          {
            code: 'pinned_version_unavailable',
            path: ['asset'],
            message: `collection "${asset.name}" (${asset.id}) configuration version ${asset.version} not found`,
          },
        ],
        data: {
          deployment: served.deployment.id,
          asset: { type: asset.type, id: asset.id, name: asset.name, version: asset.version },
        },
      },
    );
  }
  return { config };
}
