/**
 * @module sdk/client
 * The typed Keel client: applications, the CLI and the web console all talk to Keel through it.
 * Types come from the same zod schemas the server validates with; it runs in Node and browsers.
 *
 * @example
 * const keel = new KeelClient({ baseURL: 'http://127.0.0.1:4141', apiKey: process.env.KEEL_API_KEY });
 * const { rows } = await keel.usage({ group_by: 'model,day' });
 */
import type { z } from 'zod';
import type { ModelsOverview, PullJobJson } from '../api/models.js';
import type { ChatCompletion, ChatCompletionRequest, EmbeddingRequest } from '../api/openai.js';
import type {
  ApiKey,
  CreateKeyRequest,
  createdKeySchema,
  healthSchema,
  Me,
  memberSchema,
  Project,
  signInResponseSchema,
  UsageResponse,
} from '../api/platform.js';
import type { TextGenRequest, TextGenResponse } from '../api/watsonx.js';
import { AdaptersApi } from './adapters.js';
import { AuditApi } from './audit.js';
import { DataApi } from './data.js';
import { DeploymentsApi, SpacesApi } from './deployments.js';
import { codeOf, errorFromResponse, KeelApiError } from './errors.js';
import { EvalsApi } from './evals.js';
import { GovernanceApi } from './governance.js';
import { GuardrailsApi } from './guardrails.js';
import { MetricsApi } from './metrics.js';
import { LimitsApi, MonitorsApi } from './monitors.js';
import { PromptsApi } from './prompts.js';
import { RagApi } from './rag.js';
import { RedTeamApi } from './red-team.js';
import { FactsheetsApi, RiskApi } from './risk-factsheets.js';
import { readSse } from './sse.js';
import type { RequestOptions, SdkTransport } from './transport.js';
import { TuningApi } from './tuning.js';

export type { RequestOptions, SdkTransport } from './transport.js';

export interface KeelClientOptions {
  baseURL: string;
  apiKey?: string | undefined;
  /** Project to act in (`X-Keel-Project`); the key's own project when omitted. */
  project?: string | undefined;
  fetch?: (input: Request) => Promise<Response> | Response;
  headers?: Record<string, string>;
}

export type ChatChunk =
  | { type: 'text'; text: string }
  | { type: 'finish'; finishReason: string; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { type: 'warnings'; warnings: { setting?: string; message: string }[] };

export class KeelClient implements SdkTransport {
  readonly baseURL: string;
  apiKey: string | undefined;
  project: string | undefined;
  readonly #fetch: (input: Request) => Promise<Response> | Response;
  readonly #headers: Record<string, string>;

  constructor(options: KeelClientOptions) {
    this.baseURL = options.baseURL.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.project = options.project;
    this.#fetch = options.fetch ?? ((request) => fetch(request));
    this.#headers = options.headers ?? {};
  }

  /** Sends a request and returns the raw response (errors thrown as KeelApiError). */
  async raw(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) search.set(key, String(value));
    const url = `${this.baseURL}${path}${search.size ? `?${search}` : ''}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.#headers,
      ...options.headers,
    };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (this.project) headers['x-keel-project'] = this.project;
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body instanceof Uint8Array) {
      // Raw bytes (a project file): sent as they are.
      headers['content-type'] ??= 'application/octet-stream';
      body = options.body as Uint8Array<ArrayBuffer>;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      // A relative URL (baseURL '') is resolved by the browser against the page: the console is same-origin.
      response = await this.#fetch(
        new Request(url, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new KeelApiError(
        0,
        'network_error',
        `Cannot reach Keel at ${this.baseURL || 'this origin'}: ${(error as Error).message}`,
      );
    }
    if (!response.ok) throw await errorFromResponse(response);
    return response;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.raw(method, path, options);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  health() {
    return this.request<z.infer<typeof healthSchema>>('GET', '/health');
  }

  me() {
    return this.request<Me>('GET', '/api/v1/me');
  }

  readonly auth = {
    signIn: (email: string, password: string) =>
      this.request<z.infer<typeof signInResponseSchema>>('POST', '/api/v1/auth/sign-in', {
        body: { email, password },
      }),
    signOut: () => this.request<void>('POST', '/api/v1/auth/sign-out'),
  };

  readonly keys = {
    create: (input: CreateKeyRequest) =>
      this.request<z.infer<typeof createdKeySchema>>('POST', '/api/v1/keys', { body: input }),
    list: (options: { includeRevoked?: boolean } = {}) =>
      this.request<{ keys: ApiKey[] }>('GET', '/api/v1/keys', {
        query: { include_revoked: options.includeRevoked ? 'true' : undefined },
      }),
    revoke: (id: string) => this.request<ApiKey>('DELETE', `/api/v1/keys/${encodeURIComponent(id)}`),
  };

  readonly projects = {
    list: () => this.request<{ projects: Project[] }>('GET', '/api/v1/projects'),
    create: (input: { name: string; description?: string }) =>
      this.request<Project>('POST', '/api/v1/projects', { body: input }),
    get: (id: string) => this.request<Project>('GET', `/api/v1/projects/${encodeURIComponent(id)}`),
    update: (id: string, patch: { name?: string; description?: string }) =>
      this.request<Project>('PATCH', `/api/v1/projects/${encodeURIComponent(id)}`, { body: patch }),
    setMember: (id: string, userId: string, role: 'admin' | 'editor' | 'validator' | 'viewer') =>
      this.request<z.infer<typeof memberSchema>>(
        'PUT',
        `/api/v1/projects/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`,
        { body: { role } },
      ),
    removeMember: (id: string, userId: string) =>
      this.request<void>(
        'DELETE',
        `/api/v1/projects/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`,
      ),
    members: (id: string) =>
      this.request<{ members: z.infer<typeof memberSchema>[] }>(
        'GET',
        `/api/v1/projects/${encodeURIComponent(id)}/members`,
      ),
  };

  readonly prompts: PromptsApi = new PromptsApi(this);

  readonly guardrails: GuardrailsApi = new GuardrailsApi(this);

  readonly audit: AuditApi = new AuditApi(this);

  readonly rag: RagApi = new RagApi(this);

  /** Data: sources, the catalog and read-only SQL over the project's tables. */
  readonly data: DataApi = new DataApi(this);

  /** Metrics: compute ROUGE, BLEU, EM/F1 … directly, and list what each needs. */
  readonly metrics: MetricsApi = new MetricsApi(this);

  /** Evaluation: datasets and evaluation runs (thresholds, comparisons). */
  readonly evals: EvalsApi = new EvalsApi(this);

  /** Red-teaming: probe sets, runs through a target's guardrails, reports. */
  readonly redTeam: RedTeamApi = new RedTeamApi(this);

  /** Tuning: head training jobs (progress and loss curves), heads and their lineage, classification. */
  readonly tuning: TuningApi = new TuningApi(this);
  /** LoRA adapters on llama.cpp base models, served as `llamacpp:<base>+<name>`. */
  readonly adapters: AdaptersApi = new AdaptersApi(this);

  /** Governance: use cases, tracked assets, lifecycle transitions, approvals, the gate. */
  readonly governance: GovernanceApi = new GovernanceApi(this);

  /** Risk: the project's questionnaire and risk assessments of use cases. */
  readonly risk: RiskApi = new RiskApi(this);

  /** Factsheets: a use case's facts as JSON, Markdown or PDF, and approach diffs. */
  readonly factsheets: FactsheetsApi = new FactsheetsApi(this);

  /** Deployment spaces (development, staging, production …). */
  readonly spaces: SpacesApi = new SpacesApi(this);

  /** Deployments: versions, rollback, traffic split, invoke. */
  readonly deployments: DeploymentsApi = new DeploymentsApi(this);

  /** Monitors on the request log, their alerts and the incidents those open. */
  readonly monitors: MonitorsApi = new MonitorsApi(this);

  /** The ledger's request and token rates and budgets, and keys scoped to deployments. */
  readonly limits: LimitsApi = new LimitsApi(this);

  readonly users = {
    /** Creates an account and adds it to the current project (organisation administrators). */
    create: (input: {
      email: string;
      password: string;
      display_name?: string;
      role?: 'admin' | 'editor' | 'validator' | 'viewer';
    }) => this.request<z.infer<typeof memberSchema>>('POST', '/api/v1/users', { body: input }),
  };

  usage(query: { group_by?: string; from?: string; to?: string; project_id?: string } = {}) {
    return this.request<UsageResponse>('GET', '/api/v1/usage', { query });
  }

  readonly models = {
    /** The catalog (with local presence), every provider's models, and provider reachability. */
    overview: () => this.request<ModelsOverview>('GET', '/api/v1/models'),
    pulls: {
      start: (input: { source: string; name?: string; sha256?: string; force?: boolean }) =>
        this.request<PullJobJson>('POST', '/api/v1/models/pulls', { body: input }),
      list: () => this.request<{ pulls: PullJobJson[] }>('GET', '/api/v1/models/pulls'),
      get: (id: string) => this.request<PullJobJson>('GET', `/api/v1/models/pulls/${encodeURIComponent(id)}`),
      cancel: (id: string) =>
        this.request<PullJobJson>('DELETE', `/api/v1/models/pulls/${encodeURIComponent(id)}`),
      /** Live progress until the download ends; the last item is the final state. */
      follow: (id: string, signal?: AbortSignal) => this.#followPull(id, signal),
    },
  };

  async *#followPull(id: string, signal?: AbortSignal): AsyncGenerator<PullJobJson> {
    const response = await this.raw('GET', `/api/v1/models/pulls/${encodeURIComponent(id)}/events`, {
      signal,
      headers: { accept: 'text/event-stream' },
    });
    for await (const event of readSse(response.body!, signal)) yield JSON.parse(event.data) as PullJobJson;
  }

  /** Models as OpenAI lists them (`provider:model` ids). */
  listModels() {
    return this.request<{ data: { id: string; owned_by: string }[] }>('GET', '/v1/models');
  }

  /** watsonx-style text generation. */
  generateText(body: TextGenRequest, signal?: AbortSignal) {
    return this.request<TextGenResponse>('POST', '/ml/v1/text/generation', { body, signal });
  }

  /** watsonx-style streamed generation: yields each chunk's text, then the final result. */
  async *generateTextStream(
    body: TextGenRequest,
    signal?: AbortSignal,
  ): AsyncGenerator<TextGenResponse['results'][number] & { system?: TextGenResponse['system'] }> {
    const response = await this.raw('POST', '/ml/v1/text/generation_stream', {
      body,
      signal,
      headers: { accept: 'text/event-stream' },
    });
    for await (const event of readSse(response.body!, signal)) {
      const data = JSON.parse(event.data) as TextGenResponse & {
        errors?: { code: string; message: string }[];
        status_code?: number;
      };
      if (event.event === 'error' || data.errors) {
        const error = data.errors?.[0];
        throw new KeelApiError(
          data.status_code ?? 500,
          codeOf(error?.code, data.status_code ?? 500),
          error?.message ?? 'The stream failed.',
        );
      }
      for (const result of data.results) yield { ...result, ...(data.system ? { system: data.system } : {}) };
    }
  }

  chatCompletion(body: Omit<ChatCompletionRequest, 'stream'>, signal?: AbortSignal) {
    return this.request<ChatCompletion & { warnings?: { setting?: string; message: string }[] }>(
      'POST',
      '/v1/chat/completions',
      { body, signal },
    );
  }

  /** OpenAI-style streamed chat: text deltas, warnings, then the finish with usage. */
  async *chatCompletionStream(
    body: Omit<ChatCompletionRequest, 'stream'>,
    signal?: AbortSignal,
  ): AsyncGenerator<ChatChunk> {
    const response = await this.raw('POST', '/v1/chat/completions', {
      body: { ...body, stream: true, stream_options: { include_usage: true } },
      signal,
      headers: { accept: 'text/event-stream' },
    });
    let finishReason: string | undefined;
    for await (const event of readSse(response.body!, signal)) {
      if (event.data === '[DONE]') break;
      const chunk = JSON.parse(event.data) as {
        error?: { code: string; message: string };
        warnings?: { setting?: string; message: string }[];
        choices: { delta: { content?: string }; finish_reason: string | null }[];
        usage?: { prompt_tokens: number; completion_tokens: number };
      };
      if (chunk.error) throw new KeelApiError(502, codeOf(chunk.error.code, 502), chunk.error.message);
      if (chunk.warnings?.length) yield { type: 'warnings', warnings: chunk.warnings };
      const choice = chunk.choices[0];
      if (choice?.delta.content) yield { type: 'text', text: choice.delta.content };
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.usage) yield { type: 'finish', finishReason: finishReason ?? 'stop', usage: chunk.usage };
    }
  }

  embeddings(body: EmbeddingRequest) {
    return this.request<{ data: { embedding: number[] }[]; usage: { prompt_tokens: number } }>(
      'POST',
      '/v1/embeddings',
      { body: { ...body, encoding_format: 'float' } },
    );
  }
}
