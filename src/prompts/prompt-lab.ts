/**
 * @module prompts/prompt-lab
 * Prompt Lab's one service entry: HTTP routes, the CLI (through the SDK), the benchmark and the
 * tests all call `PromptLab`. It owns the template, session and run stores, resolves what a
 * request names (`name@label` or an inline body) to a compiled template, and renders prompts with
 * their token budget. Running lives in `prompt-runner.ts`, comparing in `compare.ts`.
 *
 * @example
 * const lab = services.prompts; // created once by the prompts module
 * const rendered = await lab.render(caller, { prompt: 'triage@production', variables: { complaint } });
 */
import type {
  CreatePromptRequest,
  PromptDiff,
  PromptParameters,
  PromptTemplate,
  RenderResponse,
  SaveVersionRequest,
  TemplateBody,
} from '../api/prompts.js';
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import type { GuardrailService } from '../guardrails/index.js';
import type { GenerationService, ProviderRegistry } from '../models/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { EvaluationRecorderV1 } from '../spec/evaluation-recorder.js';
import { checkTemplate, templateSize } from './check-template.js';
import { type CompiledTemplate, compileTemplate } from './compile-template.js';
import { mergeParameters, toGenerationParameters } from './generation-parameters.js';
import { catalogPrices, type PriceLookup } from './price-book.js';
import { parsePromptRef, parseSelector } from './prompt-ref.js';
import { renderedPromptJson, renderSections } from './render-template.js';
import { RunPrivacy } from './run-privacy.js';
import { RunStore } from './run-store.js';
import { SessionStore } from './session-store.js';
import { diffValues } from './template-diff.js';
import { LabelStore } from './template-labels.js';
import { type StoredTemplate, TemplateStore } from './template-store.js';
import { checkBudget, countPromptTokens } from './token-budget.js';
import { resolveValues } from './variables.js';

/** Who is asking, in which project. `actor` is the user (or, for API keys, the key) that acts. */
export interface Caller {
  projectId: string;
  keyId: string | null;
  actor: string | null;
  signal?: AbortSignal | undefined;
  /** The caller's role in the project: decides whether pseudonymised values are restored. */
  role?: string | undefined;
}

export interface PromptLabDependencies {
  db: DatabaseV1;
  generation: GenerationService;
  registry: ProviderRegistry;
  /** Model prices for run costs; the model catalog's by default. */
  prices?: PriceLookup;
  /** Resolves the template's guardrail policy (or the project's default) for each run. */
  guardrails?: GuardrailService;
  /** Where template, version and label changes are recorded. */
  audit?: AuditRecorder;
}

/** A template ready to render: compiled, and where it came from. */
export interface ResolvedSource {
  compiled: CompiledTemplate;
  template: { id: string; name: string; version: number } | null;
}

const COMPILED_CACHE_SIZE = 500;

export class PromptLab {
  readonly templates: TemplateStore;
  readonly labels: LabelStore;
  readonly sessions: SessionStore;
  readonly runs: RunStore;
  readonly generation: GenerationService;
  readonly prices: PriceLookup;
  readonly guardrails: GuardrailService | undefined;
  /** What runs and drafts keep at rest under a guardrail policy, and who may see the raw values. */
  readonly privacy: RunPrivacy;
  readonly #compiled = new Map<string, CompiledTemplate>();
  #evaluations: EvaluationRecorderV1 | undefined;

  constructor(dependencies: PromptLabDependencies) {
    this.templates = new TemplateStore(dependencies.db, dependencies.audit);
    this.labels = new LabelStore(dependencies.db, dependencies.audit);
    this.privacy = new RunPrivacy(dependencies.guardrails, dependencies.audit);
    this.sessions = new SessionStore(dependencies.db, this.privacy);
    this.runs = new RunStore(dependencies.db);
    this.generation = dependencies.generation;
    this.prices = dependencies.prices ?? catalogPrices(dependencies.registry);
    this.guardrails = dependencies.guardrails;
  }

  /** Wires the evaluation module's recorder: comparisons are then stored as evaluation runs. */
  useEvaluations(recorder: EvaluationRecorderV1): void {
    this.#evaluations = recorder;
  }

  /** The evaluation recorder, once the evaluation module is built (absent in a bare Prompt Lab). */
  get evaluations(): EvaluationRecorderV1 | undefined {
    return this.#evaluations;
  }

  /**
   * Versions never change, so a version is compiled once and kept (a bounded, least-recently-used
   * cache). Without a body, answers only from the cache.
   */
  compiledVersion(templateId: string, version: number, body?: TemplateBody): CompiledTemplate | undefined {
    const key = `${templateId}@${version}`;
    let compiled = this.#compiled.get(key);
    if (compiled) {
      this.#compiled.delete(key);
    } else if (body) {
      compiled = compileTemplate(body);
    } else {
      return undefined;
    }
    this.#compiled.set(key, compiled);
    if (this.#compiled.size > COMPILED_CACHE_SIZE) this.#compiled.delete(this.#compiled.keys().next().value!);
    return compiled;
  }

  /** Resolves a stored reference or checks an inline body; exactly one must be given. */
  async source(
    projectId: string,
    input: { prompt?: string | undefined; template?: TemplateBody | undefined },
  ): Promise<ResolvedSource> {
    if ((input.prompt === undefined) === (input.template === undefined)) {
      throw new KeelError(
        'invalid_request',
        'Give either `prompt` (a stored template: name, name@3 or name@label) or `template` (an inline one).',
        {
          issues: [
            {
              code: 'invalid_union',
              path: [input.prompt === undefined ? 'prompt' : 'template'],
              message: 'exactly one of prompt and template',
            },
          ],
        },
      );
    }
    if (input.template) return { compiled: checkTemplate(input.template), template: null };
    // Runs take the cheap path: find the version, and read its body only the first time.
    const located = await this.templates.locate(projectId, parsePromptRef(input.prompt!));
    const compiled =
      this.compiledVersion(located.id, located.version) ??
      this.compiledVersion(
        located.id,
        located.version,
        await this.templates.body(located.id, located.version),
      )!;
    return { compiled, template: located };
  }

  /** A template at a reference, with its effective variables and save-time warnings. */
  async get(projectId: string, ref: string): Promise<PromptTemplate> {
    const parsed = parsePromptRef(ref);
    const stored = await this.templates.resolve(projectId, parsed);
    return this.#templateJson(stored, ref);
  }

  #templateJson(stored: StoredTemplate, ref: string): PromptTemplate {
    const compiled = this.compiledVersion(stored.summary.id, stored.version.version, stored.body)!;
    return {
      ...stored.summary,
      version: stored.version,
      resolved: { ref, version: stored.version.version, label: stored.label },
      template: stored.body,
      variables: compiled.variables,
      warnings: compiled.warnings,
    };
  }

  async create(
    caller: Caller,
    input: CreatePromptRequest & { template: TemplateBody },
  ): Promise<PromptTemplate> {
    checkTemplate(input.template);
    const stored = await this.templates.create(caller.projectId, caller.actor, {
      name: input.name,
      title: input.title,
      description: input.description,
      task: input.task,
      body: input.template,
      message: input.message,
      sizeBytes: templateSize(input.template),
    });
    return this.#templateJson(stored, input.name);
  }

  async saveVersion(
    caller: Caller,
    name: string,
    input: SaveVersionRequest & { template: TemplateBody },
  ): Promise<PromptTemplate> {
    checkTemplate(input.template);
    const stored = await this.templates.saveVersion(caller.projectId, caller.actor, name, {
      body: input.template,
      message: input.message,
      baseVersion: input.base_version,
      sizeBytes: templateSize(input.template),
    });
    return this.#templateJson(stored, `${name}@${stored.version.version}`);
  }

  /** Field-by-field changes from one version (or label) to another. */
  async diff(projectId: string, name: string, from: string, to: string): Promise<PromptDiff> {
    const [before, after] = await Promise.all([
      this.templates.resolve(projectId, { name, selector: parseSelector(from) }),
      this.templates.resolve(projectId, { name, selector: parseSelector(to) }),
    ]);
    return {
      name,
      from: before.version.version,
      to: after.version.version,
      changes: diffValues(before.body, after.body),
    };
  }

  /** Renders a template with values and counts its tokens on the model; refuses a prompt that does not fit. */
  async render(
    caller: Caller,
    request: {
      prompt?: string | undefined;
      template?: TemplateBody | undefined;
      variables?: Record<string, unknown> | undefined;
      model?: string | undefined;
      parameters?: PromptParameters | undefined;
    },
  ): Promise<RenderResponse> {
    const source = await this.source(caller.projectId, request);
    const values = resolveValues(source.compiled.variables, request.variables);
    const prompt = renderSections(source.compiled.sections, values.texts);
    const body = source.compiled.body;
    const modelId = modelOf(request.model, body);
    const promptParameters = mergeParameters(body.parameters, request.parameters);
    const { parameters, warnings } = toGenerationParameters(promptParameters);
    const model = this.generation.languageModel(modelId);
    const count = await countPromptTokens(this.generation, model, modelId, prompt, caller.signal);
    const tokens = checkBudget({
      count,
      maxNewTokens: parameters.maxNewTokens!,
      contextLength: await model.contextLength(),
      truncateInputTokens: parameters.truncateInputTokens,
      modelId,
    });
    return {
      prompt: renderedPromptJson(prompt),
      model: modelId,
      variables: values.values,
      tokens,
      template: source.template ? { name: source.template.name, version: source.template.version } : null,
      warnings: [...source.compiled.warnings, ...warnings],
    };
  }
}

/** The model a run uses: the request's, else the template's; a template binding none needs one named. */
export function modelOf(requested: string | undefined, body: TemplateBody): string {
  const model = requested ?? body.model_id;
  if (!model) {
    throw new KeelError(
      'invalid_request',
      'The template binds no model: name one with `model` (provider:model).',
      {
        issues: [
          { code: 'missing_model', path: ['model'], message: 'required when the template has no model_id' },
        ],
        data: { hint: 'List models with GET /v1/models or `keel models list`.' },
      },
    );
  }
  return model;
}
