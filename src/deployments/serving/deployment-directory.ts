/**
 * @module deployments/serving/deployment-directory
 * The request path's view of a project's spaces and deployments: loaded once per project, kept in
 * memory, and dropped on every replica as soon as a space or deployment row changes (the cache
 * trigger of migration 0015). Resolving a deployment by id, serving name or name costs a map
 * lookup; a deleted deployment found by id is a 410.
 */
import { KeelError } from '../../core/errors.js';
import type { DatabaseV1 } from '../../spec/database.js';
import { changeFeed, InvalidatingCache } from '../../storage/core/cache-invalidation.js';
import type { Space, SpaceStore } from '../spaces/space-store.js';
import type { Deployment, DeploymentStore } from './deployment-store.js';

export interface ProjectDeployments {
  deployments: Deployment[];
  byId: Map<string, Deployment>;
  spaces: Map<string, Space>;
}

export class DeploymentDirectory {
  readonly #cache = new InvalidatingCache<ProjectDeployments>({ ttlMs: 60_000, maxEntries: 5_000 });

  constructor(
    db: DatabaseV1,
    private readonly spaces: SpaceStore,
    private readonly store: DeploymentStore,
  ) {
    const feed = changeFeed(db);
    this.#cache.follow(feed, 'deployments');
    this.#cache.follow(feed, 'deployment_spaces');
  }

  project(projectId: string): Promise<ProjectDeployments> {
    return this.#cache.get(projectId, async () => {
      const [spaces, deployments] = await Promise.all([
        this.spaces.list(projectId),
        this.store.loadProject(projectId),
      ]);
      return {
        deployments,
        byId: new Map(deployments.map((deployment) => [deployment.id, deployment])),
        spaces: new Map(spaces.map((space) => [space.id, space])),
      };
    });
  }

  /** Forgets the project here at once (the notification does it everywhere, a moment later). */
  changed(projectId: string): void {
    this.#cache.invalidate(projectId);
  }

  /**
   * A live deployment by id, serving name or name (a name shared by several is a 409). A deleted
   * one named by id is `deployment_gone` (410); anything else unknown is `deployment_not_found`.
   */
  async resolve(projectId: string, idOrName: string): Promise<{ deployment: Deployment; space: Space }> {
    const directory = await this.project(projectId);
    let deployment = directory.byId.get(idOrName);
    if (deployment?.deletedAt) {
      throw new KeelError('deployment_gone', `Deployment "${idOrName}" was deleted.`, {
        issues: [
          { code: 'deployment_deleted', path: ['deployment'], message: 'the deployment no longer serves' },
        ],
      });
    }
    if (!deployment) {
      const live = directory.deployments.filter((candidate) => !candidate.deletedAt);
      deployment = live.find((candidate) => candidate.servingName === idOrName);
      if (!deployment) {
        const named = live.filter((candidate) => candidate.name === idOrName);
        if (named.length > 1) {
          throw new KeelError(
            'conflict',
            `Several deployments are named "${idOrName}": use the id or a serving name.`,
            {
              issues: [
                { code: 'ambiguous_name', path: ['deployment'], message: named.map((d) => d.id).join(', ') },
              ],
            },
          );
        }
        deployment = named[0];
      }
    }
    if (!deployment) throw deploymentNotFound(idOrName);
    const space = directory.spaces.get(deployment.spaceId);
    if (!space) throw deploymentNotFound(idOrName);
    return { deployment, space };
  }
}

export function deploymentNotFound(idOrName: string): KeelError {
  return new KeelError('deployment_not_found', `Deployment "${idOrName}" not found.`, {
    issues: [
      {
        code: 'unknown_deployment',
        path: ['deployment'],
        message: `no deployment "${idOrName}" in this project`,
      },
    ],
  });
}
