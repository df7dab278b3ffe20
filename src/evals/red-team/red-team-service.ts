/**
 * @module evals/red-team/red-team-service
 * Red-team runs: a probe set (Keel's own, or probes given inline — a public set the CLI loaded)
 * sent through a target's guarded path under a guardrail policy, on the job service (kind
 * `evals.redteam`). The policy is the one real traffic would get — the template's, else the
 * project's default — or one named, one given inline, or none. Each probe's result is stored as
 * it completes (a resumed run skips what it has); the report is built when the last one lands.
 *
 * @example
 * const run = await redTeam.createRun(caller, { target: { type: 'model', model: 'echo:echo' } });
 */
import {
  type CreateRedTeamRun,
  createRedTeamRunSchema,
  type ProbeResultJson,
  type RedTeamRunJson,
} from '../../api/red-team.js';
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DeploymentService } from '../../deployments/index.js';
import type { GuardrailRequest, GuardrailService, PolicyBody } from '../../guardrails/index.js';
import type { JobContext, JobService } from '../../jobs/index.js';
import type { GenerationService } from '../../models/index.js';
import type { PromptLab } from '../../prompts/index.js';
import type { RagService } from '../../rag/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { Probe } from './probe.js';
import { BUILTIN_SET, listProbeSets, loadProbeSet, type ProbeSetSummary } from './probe-sets.js';
import { buildReport, type ProbeResult, type RedTeamReport } from './red-team-report.js';
import { type ProbeCaller, type RunPlan, runProbe } from './red-team-runner.js';
import { type PolicyChoice, RedTeamStore, type ResultFilter, type RunRow } from './red-team-store.js';
import { planDeployment, planTemplate } from './red-team-target.js';

export const RED_TEAM_JOB = 'evals.redteam';

export interface RedTeamCaller {
  projectId: string;
  keyId: string | null;
  actor: string | null;
  role?: string | undefined;
}

export interface RedTeamDeps {
  db: DatabaseV1;
  jobs: JobService;
  generation: GenerationService;
  guardrails: GuardrailService;
  prompts?: PromptLab;
  rag?: RagService;
  audit: AuditRecorder;
  /** Where public sets (`../datasets` layout) are read from by name; absent: only Keel's own set. */
  datasetsDir?: string | undefined;
  /** The deployments module (created after this one: read when a run targets a deployment). */
  deployments?: (() => DeploymentService | undefined) | undefined;
}

interface JobPayload {
  runId: string;
  maxNewTokens: number;
  concurrency: number;
}

export class RedTeamService {
  readonly store: RedTeamStore;

  constructor(private readonly deps: RedTeamDeps) {
    this.store = new RedTeamStore(deps.db);
    deps.jobs.register<JobPayload, { probes: number; attack_success_rate: number | null }>(RED_TEAM_JOB, {
      concurrency: 2,
      describe: (payload) => ({ run_id: payload.runId }),
      run: (context) => this.#run(context),
      onFinished: (job) => {
        if (job.status === 'succeeded') return;
        void this.store
          .finish(job.payload.runId, job.status === 'cancelled' ? 'cancelled' : 'failed', {
            error: job.error ?? null,
          })
          .catch(() => undefined);
      },
    });
  }

  listProbeSets(): Promise<ProbeSetSummary[]> {
    return listProbeSets(this.deps.datasetsDir);
  }

  /** Validates the request, resolves what can fail early (set, template, policy), queues the job. */
  async createRun(
    caller: RedTeamCaller,
    input: CreateRedTeamRun,
    options: {
      /** Parses an inline policy body (the guardrail policy schema; the HTTP layer passes it in). */
      parsePolicy?: (body: unknown) => PolicyBody;
    } = {},
  ): Promise<RedTeamRunJson> {
    const parsed = createRedTeamRunSchema.safeParse(input);
    if (!parsed.success)
      throw new KeelError('invalid_request', 'The red-team run request is not valid.', {
        issues: parsed.error.issues.map((issue) => ({
          code: issue.code,
          path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
          message: issue.message,
        })),
      });
    const request = parsed.data;
    const setName = request.probes ? 'inline' : (request.probe_set ?? BUILTIN_SET);
    let probes: Probe[] = request.probes ?? (await loadProbeSet(setName, this.deps.datasetsDir));
    if (request.categories) probes = probes.filter((probe) => request.categories!.includes(probe.category));
    if (request.languages) probes = probes.filter((probe) => request.languages!.includes(probe.language));
    if (request.limit) probes = probes.slice(0, request.limit);
    if (!probes.length)
      throw new KeelError('invalid_request', 'No probe is left after the category and language filters.', {
        issues: [{ code: 'no_probes', path: ['categories'], message: 'the filters leave no probe' }],
      });
    const ids = new Set<string>();
    for (const [index, probe] of probes.entries()) {
      if (ids.has(probe.id))
        throw new KeelError('invalid_request', `Probe id "${probe.id}" appears twice.`, {
          issues: [
            { code: 'duplicate_id', path: ['probes', index, 'id'], message: 'probe ids are unique in a run' },
          ],
        });
      ids.add(probe.id);
    }
    if (request.target.type === 'deployment' && (request.policy !== undefined || request.policy_body))
      throw new KeelError(
        'invalid_request',
        'A deployment is attacked under its own guardrail policy: leave policy out.',
        {
          issues: [
            { code: 'policy_not_applicable', path: ['policy'], message: 'the deployment decides its policy' },
          ],
        },
      );
    let policy: PolicyChoice = request.policy_body
      ? { mode: 'inline', name: null }
      : request.policy === null
        ? { mode: 'none', name: null }
        : request.policy
          ? { mode: 'named', name: request.policy }
          : { mode: 'project', name: null };
    const policyBody = request.policy_body
      ? parseInlinePolicy(request.policy_body, options.parsePolicy)
      : null;
    // Everything that can be wrong with the target or the policy fails here, not in the job.
    const plan = await this.#plan(
      caller.projectId,
      request.target,
      policy,
      policyBody,
      request.max_new_tokens,
    );
    if (plan.deployment) policy = { mode: 'deployment', name: plan.deployment.guardrailPolicy };

    const id = newId('rtr');
    const job = await this.deps.db.transaction(async (tx) => {
      await this.store.insert(tx, {
        id,
        project_id: caller.projectId,
        job_id: null,
        target: request.target,
        policy,
        policy_body: policyBody as Record<string, unknown> | null,
        probe_set: setName,
        probe_count: probes.length,
        probes,
        created_by: caller.actor,
      });
      const queued = await this.deps.jobs.enqueue<JobPayload>(
        {
          projectId: caller.projectId,
          kind: RED_TEAM_JOB,
          payload: { runId: id, maxNewTokens: request.max_new_tokens, concurrency: request.concurrency },
          createdBy: caller.actor,
          total: probes.length,
        },
        { tx },
      );
      await this.store.setJob(tx, id, queued.id);
      return queued;
    });
    this.deps.jobs.notify();
    this.deps.audit.record({
      action: 'redteam.run.create',
      projectId: caller.projectId,
      target: { type: 'red_team_run', id },
      after: { target: request.target, policy, probe_set: setName, probes: probes.length },
      detail: { jobId: job.id },
    });
    return this.getRun(caller, id);
  }

  async getRun(caller: RedTeamCaller, id: string): Promise<RedTeamRunJson> {
    return runJson(await this.store.get(caller.projectId, id));
  }

  async listRuns(caller: RedTeamCaller, limit = 50): Promise<RedTeamRunJson[]> {
    return (await this.store.list(caller.projectId, limit)).map(runJson);
  }

  /** The per-probe drill-down, in the run's order, filtered. */
  async results(caller: RedTeamCaller, id: string, filter: ResultFilter = {}): Promise<ProbeResultJson[]> {
    await this.store.get(caller.projectId, id);
    return this.store.results(id, filter);
  }

  /** Waits for a run to end (the CLI and tests), following its job. */
  async wait(caller: RedTeamCaller, id: string, signal?: AbortSignal): Promise<RedTeamRunJson> {
    const run = await this.store.get(caller.projectId, id);
    if (run.job_id)
      for await (const _event of this.deps.jobs.follow(run.job_id, {
        projectId: caller.projectId,
        ...(signal ? { signal } : {}),
      })) {
        // Followed to the end; the run row is written before the job finishes.
      }
    return this.getRun(caller, id);
  }

  async #plan(
    projectId: string,
    target: RunRow['target'],
    policy: PolicyChoice,
    policyBody: PolicyBody | null,
    maxNewTokens: number,
  ): Promise<RunPlan> {
    if (target.type === 'deployment') {
      const deployments = this.deps.deployments?.();
      if (!deployments)
        throw new KeelError('not_implemented', 'Deployments are not served by this Keel.', {
          issues: [{ code: 'unsupported_target', path: ['target', 'type'], message: 'deployment' }],
        });
      // The deployment applies its own policy on every request: none is added here.
      const deployment = await planDeployment(deployments, projectId, target);
      return { target, deployment, guardrails: undefined, maxNewTokens };
    }
    let template: RunPlan['template'];
    let collectionId: string | undefined;
    if (target.type === 'rag') {
      if (!this.deps.rag) throw new KeelError('invalid_request', 'RAG targets need the RAG module.');
      collectionId = (await this.deps.rag.store.get(projectId, target.collection)).id;
      if (target.model) this.deps.generation.languageModel(target.model);
    } else if (target.type === 'template') {
      if (!this.deps.prompts) throw new KeelError('invalid_request', 'Template targets need Prompt Lab.');
      template = await planTemplate(this.deps.prompts, projectId, target);
      if (template.model) this.deps.generation.languageModel(template.model);
    } else {
      this.deps.generation.languageModel(target.model);
    }
    let guardrails: GuardrailRequest | undefined;
    if (policy.mode === 'inline') {
      guardrails = { policyName: 'inline', policy: policyBody!, restore: false };
    } else if (policy.mode !== 'none') {
      const resolved = await this.deps.guardrails.resolve(projectId, {
        name: policy.mode === 'named' ? (policy.name ?? undefined) : undefined,
        templatePolicy: template?.guardrailPolicy,
      });
      // The attacker sees what any caller would: pseudonymised values are not restored.
      if (resolved) guardrails = { policyName: resolved.name, policy: resolved.body, restore: false };
    }
    return {
      target,
      guardrails,
      maxNewTokens,
      ...(template ? { template } : {}),
      ...(collectionId ? { collectionId } : {}),
    };
  }

  async #run(context: JobContext<JobPayload>) {
    const { runId, maxNewTokens, concurrency } = context.payload;
    const run = await this.store.load(runId);
    await this.store.setStatus(runId, 'running');
    const plan = await this.#plan(
      run.project_id,
      run.target,
      run.policy,
      run.policy_body as PolicyBody | null,
      maxNewTokens,
    );
    const caller: ProbeCaller = {
      projectId: run.project_id,
      keyId: null,
      actor: run.created_by,
      signal: context.signal,
    };
    const done = await this.store.doneProbes(runId);
    let count = done.size;
    const pending = run.probes
      .map((probe, position) => ({ probe, position }))
      .filter(({ probe }) => !done.has(probe.id));
    await context.progress(count, run.probes.length, 'probing');
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
        const { probe, position } = pending[next++]!;
        const result = await runProbe(this.deps, caller, plan, probe);
        await context.transaction(async (tx) => {
          await this.store.saveResult(tx, runId, position, result);
          count++;
          await context.progress(count, run.probes.length, null, { tx });
        });
        // With an in-process model and database every step resolves as a microtask: yield, so
        // a long probe set never holds the event loop from other requests.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(pending.length, 1)) }, worker));
    const results: ProbeResult[] = await this.store.results(runId);
    const report = buildReport(results);
    await context.transaction((tx) => this.store.finish(runId, 'succeeded', { report, error: null }, tx));
    this.deps.audit.record({
      action: 'redteam.run.finish',
      projectId: run.project_id,
      target: { type: 'red_team_run', id: runId },
      detail: {
        probes: report.overall.probes,
        attackSuccessRate: report.overall.attack_success_rate,
        blockRate: report.overall.block_rate,
      },
    });
    return { probes: report.overall.probes, attack_success_rate: report.overall.attack_success_rate };
  }
}

function parseInlinePolicy(body: unknown, parse: ((body: unknown) => PolicyBody) | undefined): PolicyBody {
  if (!parse)
    throw new KeelError('invalid_request', 'Inline policies are not available here: name a policy instead.', {
      issues: [{ code: 'unsupported', path: ['policy_body'], message: 'name a stored policy with `policy`' }],
    });
  return parse(body);
}

function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function runJson(row: RunRow): RedTeamRunJson {
  return {
    id: row.id,
    project_id: row.project_id,
    job_id: row.job_id,
    status: row.status,
    target: row.target,
    policy: row.policy,
    probe_set: row.probe_set,
    probe_count: row.probe_count,
    progress: { done: row.done ?? 0, total: row.probe_count },
    report: row.report as RedTeamReport | null,
    error: row.error,
    created_by: row.created_by,
    created_at: iso(row.created_at)!,
    finished_at: iso(row.finished_at),
  };
}
