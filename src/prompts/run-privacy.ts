/**
 * @module prompts/run-privacy
 * Prompt Lab's side of a guardrail policy at rest: which policy masks what a run or a session
 * draft stores, the sealing of the raw values with the server key, and who may read them back —
 * the roles in the policy's `restoreRoles`, as the policy reads now (a policy deleted since falls
 * back to the project's `default`, then to Keel's built-in one). Every reveal is audited.
 */
import type { PromptDraft, PromptRun } from '../api/prompts.js';
import { type AuditRecorder, noAudit } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import type { GuardrailService, SealedMapping } from '../guardrails/index.js';
import { defaultPolicy } from '../guardrails/index.js';
import type { LanguageModelPrompt } from '../spec/language-model.js';
import {
  openRaw,
  protectRun,
  type RawValues,
  type RunProtection,
  revealedRun,
  type StoragePolicy,
  sealRaw,
} from './run-protection.js';

/** Name recorded for Keel's built-in policy, used when a run's own policy could not be read. */
export const BUILT_IN_POLICY = 'keel-built-in';

/** A stored run's sealed raw values and the policy it was masked under. */
export interface SealedRun {
  policy: string;
  sealed: SealedMapping;
}

export class RunPrivacy {
  constructor(
    readonly guardrails: GuardrailService | undefined,
    private readonly audit: AuditRecorder = noAudit,
  ) {}

  /**
   * The policy for storage when the run's own could not be resolved (a template naming a policy
   * that is gone): the project's default, else the built-in one. Undefined without guardrails.
   */
  async fallback(projectId: string): Promise<StoragePolicy | undefined> {
    if (!this.guardrails) return undefined;
    const project = await this.guardrails.resolve(projectId, {}).catch(() => undefined);
    return project ?? { name: BUILT_IN_POLICY, body: defaultPolicy() };
  }

  /** The policy a template's runs and drafts are stored under, or undefined when none applies. */
  async storagePolicy(
    projectId: string,
    templatePolicy: string | undefined,
  ): Promise<StoragePolicy | undefined> {
    if (!this.guardrails) return undefined;
    try {
      return await this.guardrails.resolve(projectId, { templatePolicy });
    } catch {
      return this.fallback(projectId);
    }
  }

  async protect(
    prompt: LanguageModelPrompt,
    variables: Record<string, unknown>,
    policy: StoragePolicy,
  ): Promise<RunProtection> {
    const service = this.#service();
    return protectRun({
      prompt,
      variables,
      policy,
      hashKey: service.secretKey,
      // The same model-backed spans the request path finds, so the placeholders match it.
      modelSpans: service.modelDetectors.length
        ? (text, mode) => service.modelSpans(text, policy.body.input, mode)
        : undefined,
    });
  }

  seal(raw: RawValues): SealedMapping {
    return sealRaw(raw, this.#service().secretKey);
  }

  /** Whether `role` may see the raw values of what was stored under the policy named `policy`. */
  async mayReveal(
    projectId: string,
    role: string | undefined,
    policy: string,
    cache = new Map<string, Promise<readonly string[]>>(),
  ): Promise<boolean> {
    if (!role || !this.guardrails) return false;
    let roles = cache.get(policy);
    if (!roles) {
      roles = this.#restoreRoles(projectId, policy);
      cache.set(policy, roles);
    }
    return (await roles).includes(role);
  }

  async #restoreRoles(projectId: string, policy: string): Promise<readonly string[]> {
    const service = this.#service();
    if (policy !== BUILT_IN_POLICY) {
      const named = await service.getPolicy(projectId, policy).catch(() => undefined);
      if (named) return named.body.restoreRoles;
    }
    return (await this.fallback(projectId))!.body.restoreRoles;
  }

  /**
   * Runs with their raw values put back where the caller's role may see them. `strict`: a run the
   * caller may not reveal is a 403 (one run asked for by id); otherwise it stays masked.
   */
  async reveal(
    caller: { projectId: string; role?: string | undefined },
    runs: PromptRun[],
    sealed: ReadonlyMap<string, SealedRun>,
    strict: boolean,
  ): Promise<PromptRun[]> {
    const cache = new Map<string, Promise<readonly string[]>>();
    const out: PromptRun[] = [];
    for (const run of runs) {
      const entry = sealed.get(run.id);
      if (!entry) {
        out.push(run);
        continue;
      }
      if (!(await this.mayReveal(caller.projectId, caller.role, entry.policy, cache))) {
        if (strict) throw notAllowed(caller.role, entry.policy);
        out.push(run);
        continue;
      }
      out.push(revealedRun(run, openRaw(entry.sealed, this.#service().secretKey)));
      this.audit.record({
        action: 'prompt_run.reveal',
        projectId: caller.projectId,
        target: { type: 'prompt_run', id: run.id },
        detail: { policy: entry.policy },
      });
    }
    return out;
  }

  /**
   * A draft as it may be stored: its variables masked under the draft template's policy, the raw
   * ones sealed. A value saved back exactly as it was shown masked (`previous`) keeps its sealed
   * raw value, so saving a draft read without reveal loses nothing.
   */
  async protectDraft(
    projectId: string,
    draft: PromptDraft,
    previous?: { draft: PromptDraft | null; sealed: SealedRun | null },
  ): Promise<{ draft: PromptDraft; policy: string | null; sealed: SealedMapping | null }> {
    if (!draft.variables) return { draft, policy: null, sealed: null };
    const policy = await this.storagePolicy(projectId, draft.template.guardrail_policy);
    if (!policy) return { draft, policy: null, sealed: null };
    let variables = draft.variables;
    const shown = previous?.draft?.variables;
    if (previous?.sealed && shown) {
      const raw = openRaw(previous.sealed.sealed, this.#service().secretKey).variables ?? {};
      variables = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [
          name,
          name in raw && JSON.stringify(value) === JSON.stringify(shown[name]) ? raw[name] : value,
        ]),
      );
    }
    const protection = await this.protect({ type: 'text', text: '' }, variables, policy);
    if (!protection.changed) return { draft: { ...draft, variables }, policy: policy.name, sealed: null };
    return {
      draft: { ...draft, variables: protection.variables },
      policy: policy.name,
      sealed: this.seal({ variables }),
    };
  }

  /** A stored draft with its raw variables back; 403 for a role the policy does not let restore. */
  async revealDraft(
    caller: { projectId: string; role?: string | undefined },
    session: { id: string; draft: PromptDraft | null; sealed: SealedRun | null },
  ): Promise<PromptDraft | null> {
    const { draft, sealed } = session;
    if (!draft || !sealed) return draft;
    if (!(await this.mayReveal(caller.projectId, caller.role, sealed.policy)))
      throw notAllowed(caller.role, sealed.policy);
    const raw = openRaw(sealed.sealed, this.#service().secretKey);
    this.audit.record({
      action: 'prompt_session.reveal',
      projectId: caller.projectId,
      target: { type: 'prompt_session', id: session.id },
      detail: { policy: sealed.policy },
    });
    return { ...draft, ...(raw.variables ? { variables: raw.variables } : {}) };
  }

  #service(): GuardrailService {
    if (!this.guardrails) throw new KeelError('internal', 'Sealed values need the guardrail service.');
    return this.guardrails;
  }
}

function notAllowed(role: string | undefined, policy: string): KeelError {
  return new KeelError(
    'forbidden',
    `The guardrail policy "${policy}" does not let the ${role ?? 'caller’s'} role see the raw values.`,
    { data: { policy, role: role ?? null, hint: 'Read without reveal=true for the masked values.' } },
  );
}
