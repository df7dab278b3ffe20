/**
 * @module deployments/serving/deployment-service
 * The one entry of the deployments module: HTTP (Keel's and watsonx's shapes), the OpenAI
 * `deployment:<name>` model ids, the CLI (through the SDK) and the benchmark all call it.
 *
 * Serving a request: resolve the deployment from the in-memory directory, pick the version (the
 * current one, or by the traffic split), ask the gate when the space is production (on every
 * request — the gate answers from its cache, so a revoked approval stops serving at once), then
 * run exactly what Prompt Lab runs (`runPrompt` / `streamPrompt`: render, guardrails, generation,
 * run history) or the RAG collection's `ask` with the configuration version the deployment pinned. Requests already past the gate when a deployment is
 * deleted finish; later ones are 410 by id, 404 by name.
 */

import { KeelError } from '../../core/errors.js';
import { type Caller, type ResolvedSource, runPrompt, streamPrompt } from '../../prompts/index.js';
import type { DeploymentGateV1, GatedAssetRef, GatePurpose } from '../../spec/deployment-gate.js';
import { runForDeployment } from '../ledger/index.js';
import { checkSplit, pickVersion, type TrafficSplit } from '../rollout/traffic-split.js';
import { type Space, type SpaceChanges, type SpaceInput, SpaceStore } from '../spaces/space-store.js';
import { resolveVersionInput } from './asset-versions.js';
import { DeploymentDirectory } from './deployment-directory.js';
import {
  type Deployment,
  type DeploymentAsset,
  DeploymentStore,
  type DeploymentVersion,
  type VersionInput,
} from './deployment-store.js';
import { type MetricSeries, metricSeries } from './metric-series.js';
import { pinnedAskOptions } from './pinned-collection.js';
import { askInputOf, chatVariablesOf, promptParametersOf, versionAttributes } from './serving-inputs.js';

export type {
  AssetRequest,
  CreateDeploymentInput,
  DeploymentServiceDependencies,
  InvokeInput,
  InvokeResult,
  InvokeStream,
  Served,
} from './deployment-types.js';

import type {
  AssetRequest,
  CreateDeploymentInput,
  DeploymentServiceDependencies,
  InvokeInput,
  InvokeResult,
  InvokeStream,
  Served,
} from './deployment-types.js';

export { promptParametersOf } from './serving-inputs.js';

export class DeploymentService {
  readonly spaces: SpaceStore;
  readonly store: DeploymentStore;
  readonly directory: DeploymentDirectory;
  #gate: DeploymentGateV1;
  readonly #inFlight = new Map<string, number>();

  constructor(private readonly deps: DeploymentServiceDependencies) {
    this.spaces = new SpaceStore(deps.db, deps.audit);
    this.store = new DeploymentStore(deps.db, deps.audit);
    this.directory = new DeploymentDirectory(deps.db, this.spaces, this.store);
    this.#gate = deps.gate;
  }

  /** Wires the gate (the governance module's); until then every asset passes. */
  setGate(gate: DeploymentGateV1): void {
    this.#gate = gate;
  }

  get gate(): DeploymentGateV1 {
    return this.#gate;
  }

  // Spaces ------------------------------------------------------------------------------------

  async createSpace(projectId: string, actor: string | null, input: SpaceInput): Promise<Space> {
    const space = await this.spaces.create(projectId, actor, input);
    this.directory.changed(projectId);
    return space;
  }

  async updateSpace(projectId: string, idOrName: string, changes: SpaceChanges): Promise<Space> {
    const before = await this.spaces.get(projectId, idOrName);
    if (changes.stage === 'production' && before.stage !== 'production') {
      // Promoting a space: everything it serves must pass the gate.
      const { deployments } = await this.directory.project(projectId);
      for (const deployment of deployments.filter((d) => d.spaceId === before.id && !d.deletedAt))
        for (const version of servingVersions(deployment))
          await this.#checkGate(projectId, version.asset, { action: 'space.promote', space: before.id });
    }
    const space = await this.spaces.update(projectId, idOrName, changes);
    this.directory.changed(projectId);
    return space;
  }

  async deleteSpace(projectId: string, idOrName: string): Promise<void> {
    await this.spaces.delete(projectId, idOrName);
    this.directory.changed(projectId);
  }

  // Deployments -------------------------------------------------------------------------------

  async list(projectId: string, filter: { space?: string | undefined } = {}): Promise<Deployment[]> {
    const directory = await this.directory.project(projectId);
    const spaceId = filter.space ? (await this.spaces.get(projectId, filter.space)).id : undefined;
    return directory.deployments.filter(
      (deployment) => !deployment.deletedAt && (spaceId === undefined || deployment.spaceId === spaceId),
    );
  }

  async get(projectId: string, idOrName: string): Promise<{ deployment: Deployment; space: Space }> {
    return this.directory.resolve(projectId, idOrName);
  }

  async create(caller: Caller, input: CreateDeploymentInput): Promise<Deployment> {
    const space = input.space
      ? await this.spaces.get(caller.projectId, input.space)
      : await this.#defaultSpace(caller.projectId, caller.actor);
    const version = await resolveVersionInput(this.deps, caller.projectId, input);
    if (space.stage === 'production')
      await this.#checkGate(caller.projectId, version.asset, {
        action: 'deployment.create',
        deployment: input.name,
      });
    const id = await this.store.create(caller.projectId, caller.actor, {
      spaceId: space.id,
      name: input.name,
      servingName: input.servingName,
      description: input.description,
      tags: input.tags,
      version,
    });
    this.directory.changed(caller.projectId);
    return (await this.directory.resolve(caller.projectId, id)).deployment;
  }

  /** Changes names and tags; a new asset, model, parameters or policy adds a version that serves at once. */
  async update(
    caller: Caller,
    idOrName: string,
    changes: {
      name?: string | undefined;
      servingName?: string | null | undefined;
      description?: string | undefined;
      tags?: string[] | undefined;
      asset?: AssetRequest | undefined;
      model?: string | null | undefined;
      parameters?: Record<string, unknown> | undefined;
      guardrailPolicy?: string | null | undefined;
    },
  ): Promise<Deployment> {
    const { deployment, space } = await this.directory.resolve(caller.projectId, idOrName);
    if (
      changes.name !== undefined ||
      changes.servingName !== undefined ||
      changes.description !== undefined ||
      changes.tags !== undefined
    ) {
      await this.store.update(caller.projectId, deployment, changes);
    }
    if (
      changes.asset !== undefined ||
      changes.model !== undefined ||
      changes.parameters !== undefined ||
      changes.guardrailPolicy !== undefined
    ) {
      const current = currentVersion(deployment);
      const version: VersionInput = changes.asset
        ? await resolveVersionInput(this.deps, caller.projectId, {
            asset: changes.asset,
            model: changes.model === undefined ? current.model : changes.model,
            parameters: changes.parameters ?? current.parameters,
            guardrailPolicy:
              changes.guardrailPolicy === undefined ? current.guardrailPolicy : changes.guardrailPolicy,
          })
        : {
            asset: current.asset,
            model: changes.model === undefined ? current.model : changes.model,
            parameters: changes.parameters ?? current.parameters,
            guardrailPolicy:
              changes.guardrailPolicy === undefined ? current.guardrailPolicy : changes.guardrailPolicy,
          };
      if (space.stage === 'production')
        await this.#checkGate(caller.projectId, version.asset, {
          action: 'deployment.update',
          deployment: deployment.id,
        });
      await this.store.addVersion(caller.projectId, caller.actor, deployment.id, version);
    }
    this.directory.changed(caller.projectId);
    return (await this.directory.resolve(caller.projectId, deployment.id)).deployment;
  }

  /** Serves `version` (default: the one before the current) alone again; any split ends. */
  async rollback(caller: Caller, idOrName: string, version?: number): Promise<Deployment> {
    const { deployment, space } = await this.directory.resolve(caller.projectId, idOrName);
    const target =
      version ??
      deployment.versions
        .map((entry) => entry.version)
        .filter((entry) => entry < deployment.currentVersion)
        .at(-1);
    const found = deployment.versions.find((entry) => entry.version === target);
    if (!found) {
      throw new KeelError(
        'invalid_request',
        target === undefined
          ? `Deployment "${deployment.name}" has no version before ${deployment.currentVersion} to roll back to.`
          : `Deployment "${deployment.name}" has no version ${target}.`,
        {
          issues: [
            {
              code: 'unknown_version',
              path: ['version'],
              message: `versions: ${deployment.versions.map((entry) => entry.version).join(', ')}`,
            },
          ],
        },
      );
    }
    if (space.stage === 'production')
      await this.#checkGate(caller.projectId, found.asset, {
        action: 'deployment.rollback',
        deployment: deployment.id,
      });
    await this.store.setServing(
      caller.projectId,
      deployment.id,
      { currentVersion: found.version, split: null },
      'deployment.rollback',
    );
    this.directory.changed(caller.projectId);
    return (await this.directory.resolve(caller.projectId, deployment.id)).deployment;
  }

  /** Splits traffic between two versions by weight; `null` ends the split (the current version serves). */
  async split(caller: Caller, idOrName: string, split: TrafficSplit | null): Promise<Deployment> {
    const { deployment, space } = await this.directory.resolve(caller.projectId, idOrName);
    if (split) {
      checkSplit(
        split,
        deployment.versions.map((entry) => entry.version),
      );
      if (space.stage === 'production')
        for (const entry of split.versions)
          await this.#checkGate(caller.projectId, versionOf(deployment, entry.version).asset, {
            action: 'deployment.split',
            deployment: deployment.id,
          });
    }
    await this.store.setServing(
      caller.projectId,
      deployment.id,
      { currentVersion: deployment.currentVersion, split },
      'deployment.split',
    );
    this.directory.changed(caller.projectId);
    return (await this.directory.resolve(caller.projectId, deployment.id)).deployment;
  }

  /** Deletes: requests in flight finish; new ones by id are 410, by name 404. */
  async delete(caller: Caller, idOrName: string): Promise<{ inFlight: number }> {
    const { deployment } = await this.directory.resolve(caller.projectId, idOrName);
    await this.store.delete(caller.projectId, deployment.id);
    this.directory.changed(caller.projectId);
    return { inFlight: this.#inFlight.get(deployment.id) ?? 0 };
  }

  /** The deployment's traffic over time (requests, errors, latency, tokens, cost per bucket), from the request log. */
  async metrics(
    projectId: string,
    idOrName: string,
    options: { minutes?: number | undefined; bucketSeconds?: number | undefined } = {},
  ): Promise<MetricSeries & { deployment: Deployment }> {
    const { deployment } = await this.directory.resolve(projectId, idOrName);
    return { deployment, ...(await metricSeries(this.deps.db, projectId, deployment.id, options)) };
  }

  /** Requests this process is serving for the deployment now. */
  inFlight(id: string): number {
    return this.#inFlight.get(id) ?? 0;
  }

  // Serving -----------------------------------------------------------------------------------

  /** Resolves and picks the version for one request, and asks the gate (production spaces). */
  async prepare(projectId: string, idOrName: string, requestId: string): Promise<Served> {
    const { deployment, space } = await this.directory.resolve(projectId, idOrName);
    const version = versionOf(
      deployment,
      deployment.split ? pickVersion(deployment.split, requestId) : deployment.currentVersion,
    );
    if (space.stage === 'production') await this.#checkGate(projectId, version.asset);
    return { deployment, space, version };
  }

  /** The compiled template of a prompt version (compiled once per version, by Prompt Lab). */
  async source(served: Served): Promise<ResolvedSource> {
    const { asset, guardrailPolicy } = served.version;
    const lab = this.deps.prompts;
    const compiled =
      lab.compiledVersion(asset.id, asset.version) ??
      lab.compiledVersion(asset.id, asset.version, await lab.templates.body(asset.id, asset.version))!;
    return {
      compiled: guardrailPolicy
        ? { ...compiled, body: { ...compiled.body, guardrail_policy: guardrailPolicy } }
        : compiled,
      template: { id: asset.id, name: asset.name, version: asset.version },
    };
  }

  /** Runs one request on the deployment and waits for the answer. */
  async invoke(caller: Caller, idOrName: string, input: InvokeInput): Promise<InvokeResult> {
    const served = input.served ?? (await this.prepare(caller.projectId, idOrName, input.requestId));
    const id = served.deployment.id;
    this.#enter(id);
    try {
      // Its model calls count on the deployment's limits and against keys scoped to it (ledger).
      if (served.version.asset.type === 'rag_collection') {
        const askInput = askInputOf(served, input);
        const pinned = await pinnedAskOptions(this.deps.rag, caller, served);
        return {
          served,
          kind: 'rag_collection',
          answer: await runForDeployment(
            id,
            () =>
              this.deps.rag.ask(
                { ...caller, requestId: input.requestId },
                served.version.asset.id,
                askInput,
                pinned,
              ),
            versionAttributes(served),
          ),
        };
      }
      const runInput = await this.#runInput(served, input);
      const run = await runForDeployment(
        id,
        () =>
          runPrompt(
            this.deps.prompts,
            { ...caller, endpoint: input.endpoint, requestId: input.requestId },
            runInput,
          ),
        versionAttributes(served),
      );
      return { served, kind: 'prompt_template', run };
    } finally {
      this.#leave(id);
    }
  }

  /** Starts a streamed request: problems before the first token throw; the deployment counts as busy until the stream ends. */
  async stream(caller: Caller, idOrName: string, input: InvokeInput): Promise<InvokeStream> {
    const served = input.served ?? (await this.prepare(caller.projectId, idOrName, input.requestId));
    const id = served.deployment.id;
    this.#enter(id);
    try {
      if (served.version.asset.type === 'rag_collection') {
        const askInput = askInputOf(served, input);
        const pinned = await pinnedAskOptions(this.deps.rag, caller, served);
        const events = await runForDeployment(
          id,
          () =>
            this.deps.rag.askStream(
              { ...caller, requestId: input.requestId },
              served.version.asset.id,
              askInput,
              pinned,
            ),
          versionAttributes(served),
        );
        return { served, kind: 'rag_collection', events: this.#tracked(id, events) };
      }
      const runInput = await this.#runInput(served, input);
      const { events } = await runForDeployment(
        id,
        () =>
          streamPrompt(
            this.deps.prompts,
            { ...caller, endpoint: input.endpoint, requestId: input.requestId },
            runInput,
          ),
        versionAttributes(served),
      );
      return { served, kind: 'prompt_template', events: this.#tracked(id, events) };
    } catch (error) {
      this.#leave(id);
      throw error;
    }
  }

  /** The variables of the version's template (for chat requests and MCP tool schemas). */
  async variables(served: Served) {
    if (served.version.asset.type !== 'prompt_template')
      return [{ name: 'question', type: 'string' as const, required: true }];
    return (await this.source(served)).compiled.variables;
  }

  /** The project a deployment id belongs to (inference by id needs no project named), or null. */
  async projectOf(id: string): Promise<string | null> {
    return this.store.projectOf(id);
  }

  /**
   * Variables for a chat request: those given, `context` into a variable of that name, and the
   * last user message into the first required variable still without a value.
   */
  async chatVariables(
    served: Served,
    chat: {
      lastUser?: string | undefined;
      context?: string | undefined;
      given?: Record<string, unknown> | undefined;
    },
  ): Promise<Record<string, unknown>> {
    return chatVariablesOf(await this.variables(served), chat);
  }

  async #runInput(served: Served, input: InvokeInput) {
    const parameters = { ...served.version.parameters, ...promptParametersOf(input.parameters) };
    return {
      source: await this.source(served),
      variables: input.variables ?? {},
      model: served.version.model ?? undefined,
      parameters: Object.keys(parameters).length ? parameters : undefined,
    };
  }

  /** Asks the gate; `purpose` (someone deploying, not a request being served) has a refusal audited. */
  async #checkGate(projectId: string, asset: DeploymentAsset, purpose?: GatePurpose): Promise<void> {
    const ref: GatedAssetRef = { type: asset.type, id: asset.id, name: asset.name, version: asset.version };
    const result = await this.#gate.check(projectId, ref, purpose);
    if (!result.ok) {
      throw new KeelError(
        'asset_not_approved',
        `${asset.type === 'prompt_template' ? 'Template' : 'Collection'} "${asset.name}" version ${asset.version} is not approved for production.`,
        { issues: result.issues, data: { asset: ref } },
      );
    }
  }

  async #defaultSpace(projectId: string, actor: string | null): Promise<Space> {
    try {
      return await this.spaces.get(projectId, 'default');
    } catch (error) {
      if (!(error instanceof KeelError) || error.code !== 'not_found') throw error;
      try {
        return await this.createSpace(projectId, actor, { name: 'default', stage: 'development' });
      } catch (again) {
        if (again instanceof KeelError && again.code === 'conflict')
          return this.spaces.get(projectId, 'default');
        throw again;
      }
    }
  }

  #enter(id: string): void {
    this.#inFlight.set(id, (this.#inFlight.get(id) ?? 0) + 1);
  }

  #leave(id: string): void {
    const left = (this.#inFlight.get(id) ?? 1) - 1;
    if (left > 0) this.#inFlight.set(id, left);
    else this.#inFlight.delete(id);
  }

  async *#tracked<T>(id: string, events: AsyncGenerator<T>): AsyncGenerator<T> {
    try {
      yield* events;
    } finally {
      this.#leave(id);
    }
  }
}

export function currentVersion(deployment: Deployment): DeploymentVersion {
  return versionOf(deployment, deployment.currentVersion);
}

function versionOf(deployment: Deployment, version: number): DeploymentVersion {
  const found = deployment.versions.find((entry) => entry.version === version);
  if (!found) throw new KeelError('internal', `Deployment ${deployment.id} has no version ${version}.`);
  return found;
}

/** The versions that take traffic: the current one, or both sides of a split. */
function servingVersions(deployment: Deployment): DeploymentVersion[] {
  if (!deployment.split) return [currentVersion(deployment)];
  return deployment.split.versions.map((entry) => versionOf(deployment, entry.version));
}
