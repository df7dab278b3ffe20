/**
 * @module sdk/prompts
 * Prompt Lab from the SDK: templates, versions, labels and diffs; render and run (streamed or
 * not); the run history and prompt sessions; side-by-side comparison; task samples; prompt files
 * (YAML) for git. `KeelClient` exposes it as `client.prompts`.
 *
 * @example
 * const keel = new KeelClient({ baseURL, apiKey });
 * const run = await keel.prompts.run({ prompt: 'complaint-triage@production', variables: { complaint } });
 * for await (const event of keel.prompts.runStream({ prompt: 'minutes-summary', variables })) {
 *   if (event.type === 'delta') process.stdout.write(event.text);
 * }
 */

import { FEW_SHOT_DEFAULT_DIVERSITY } from '../api/few-shot-limits.js';
import type {
  CompareEvent,
  CompareRequest,
  CompareResult,
  CreatePromptRequest,
  CreateSessionRequest,
  ImportRequest,
  ImportResponse,
  LoadSamplesRequest,
  PromptDiff,
  PromptFile,
  PromptRun,
  PromptSample,
  PromptSession,
  PromptSummary,
  PromptTask,
  PromptTemplate,
  PromptVersionInfo,
  RenderRequest,
  RenderResponse,
  RestoreRunRequest,
  RunEvent,
  RunRequest,
  RunSearchQuery,
  SaveSessionRequest,
  SaveVersionRequest,
  SetLabelRequest,
  TemplateBody,
  UpdatePromptRequest,
} from '../api/prompts.js';
import { readJsonEvents } from './sse.js';
import type { SdkTransport } from './transport.js';

const enc = encodeURIComponent;

/** Asks for the raw values the guardrail policy masked (roles in its `restoreRoles`; audited). */
export interface RevealOption {
  reveal?: boolean | undefined;
}

/** A run search; `reveal: true` gives a restore role raw values (other roles get the runs masked). */
export type RunSearch = Omit<RunSearchQuery, 'reveal'> & RevealOption;

/** What one `POST /api/v1/prompt-runs/redact` call masked; call again while `remaining`. */
export interface RedactHistoryReport {
  runs: number;
  sessions: number;
  remaining: boolean;
}

function searchQuery(query: Omit<RunSearch, 'session_id'> & { session_id?: string | undefined }) {
  const { reveal, ...rest } = query;
  return { ...rest, reveal: reveal ? 'true' : undefined } as Record<string, string | number | undefined>;
}

const revealQuery = (options: RevealOption) => ({ reveal: options.reveal ? 'true' : undefined });

/** A version's few-shot example pool at a glance: its settings and size, without the examples. */
export interface FewShotSummary {
  /** Examples in the pool. */
  size: number;
  /** Examples picked per input. */
  k: number;
  balanceLabels: boolean;
  diversity: number;
  /** Where the pool came from (e.g. `reviews@3 train`), when recorded. */
  source: string | null;
}

/** The pool a template body picks few-shot examples from per input, summarised; null without one. */
export function fewShotSummary(body: Pick<TemplateBody, 'few_shot'>): FewShotSummary | null {
  const pool = body.few_shot;
  if (!pool) return null;
  return {
    size: pool.examples.length,
    k: pool.k,
    balanceLabels: pool.balance_labels ?? true,
    diversity: pool.diversity ?? FEW_SHOT_DEFAULT_DIVERSITY,
    source: pool.source ?? null,
  };
}

export interface LabelMove {
  label: string;
  version: number;
  previous_version: number | null;
}

export class PromptsApi {
  constructor(private readonly client: SdkTransport) {}

  /** Templates of the project, newest first. */
  list(query: { q?: string; task?: PromptTask; limit?: number } = {}) {
    return this.client.request<{ prompts: PromptSummary[] }>('GET', '/api/v1/prompts', { query });
  }

  /** Creates a template and its version 1. */
  create(input: CreatePromptRequest) {
    return this.client.request<PromptTemplate>('POST', '/api/v1/prompts', { body: input });
  }

  /** A template at `name` (latest), `name@3` (version) or `name@production` (label). */
  get(ref: string) {
    return this.client.request<PromptTemplate>('GET', `/api/v1/prompts/${enc(ref)}`);
  }

  /** Changes the title, description or task (not versioned). */
  update(name: string, patch: UpdatePromptRequest) {
    return this.client.request<PromptSummary>('PATCH', `/api/v1/prompts/${enc(name)}`, { body: patch });
  }

  delete(name: string) {
    return this.client.request<PromptSummary>('DELETE', `/api/v1/prompts/${enc(name)}`);
  }

  versions(name: string) {
    return this.client.request<{ versions: PromptVersionInfo[] }>(
      'GET',
      `/api/v1/prompts/${enc(name)}/versions`,
    );
  }

  /** Saves a new immutable version; `base_version` must be the latest (else 409 `conflict`). */
  saveVersion(name: string, input: SaveVersionRequest) {
    return this.client.request<PromptTemplate>('POST', `/api/v1/prompts/${enc(name)}/versions`, {
      body: input,
    });
  }

  /** Points a label at a version (creating or moving it). */
  setLabel(name: string, label: string, input: SetLabelRequest) {
    return this.client.request<LabelMove>('PUT', `/api/v1/prompts/${enc(name)}/labels/${enc(label)}`, {
      body: input,
    });
  }

  deleteLabel(name: string, label: string) {
    return this.client.request<LabelMove>('DELETE', `/api/v1/prompts/${enc(name)}/labels/${enc(label)}`);
  }

  /** What changed between two versions (numbers or labels), field by field and line by line. */
  diff(name: string, from: number | string, to: number | string) {
    return this.client.request<PromptDiff>('GET', `/api/v1/prompts/${enc(name)}/diff`, {
      query: { from: String(from), to: String(to) },
    });
  }

  /** Renders a stored (`prompt`) or inline (`template`) template and counts its tokens. */
  render(input: RenderRequest, signal?: AbortSignal) {
    return this.client.request<RenderResponse>('POST', '/api/v1/prompts/render', { body: input, signal });
  }

  /** Runs a template and records the run. */
  run(input: Omit<RunRequest, 'stream'>, signal?: AbortSignal) {
    return this.client.request<PromptRun>('POST', '/api/v1/prompt-runs', { body: input, signal });
  }

  /** Runs a template, yielding `start`, `delta`s (and a `retry` when the output missed its schema), then `result`. */
  async *runStream(input: Omit<RunRequest, 'stream'>, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    const response = await this.client.raw('POST', '/api/v1/prompt-runs', {
      body: { ...input, stream: true },
      signal,
      headers: { accept: 'text/event-stream' },
    });
    yield* readJsonEvents<RunEvent>(response, signal);
  }

  readonly runs = {
    /** The run history: text search over prompts and outputs, filters by model, template, session, date. */
    search: (query: RunSearch = {}) =>
      this.client.request<{ runs: PromptRun[]; next: string | null }>('GET', '/api/v1/prompt-runs', {
        query: searchQuery(query),
      }),
    /** One run, masked as stored; `reveal: true` asks for the raw values (403 for a role the policy does not let restore). */
    get: (id: string, options: RevealOption = {}) =>
      this.client.request<PromptRun>('GET', `/api/v1/prompt-runs/${enc(id)}`, {
        query: revealQuery(options),
      }),
    /** Puts what the run used into a draft: a new session, or the given one. */
    restore: (id: string, input: RestoreRunRequest = {}) =>
      this.client.request<PromptSession>('POST', `/api/v1/prompt-runs/${enc(id)}/restore`, { body: input }),
    /**
     * Masks up to `limit` (default 200) runs and as many drafts written before runs were stored
     * redacted, under the policy that applies now (project admins). Call again while `remaining`.
     */
    redactHistory: (input: { limit?: number } = {}) =>
      this.client.request<RedactHistoryReport>('POST', '/api/v1/prompt-runs/redact', { body: input }),
  };

  readonly sessions = {
    list: () => this.client.request<{ sessions: PromptSession[] }>('GET', '/api/v1/prompt-sessions'),
    create: (input: CreateSessionRequest) =>
      this.client.request<PromptSession>('POST', '/api/v1/prompt-sessions', { body: input }),
    /** A session; its draft masked as stored, or raw with `reveal: true` (403 for a role the policy does not let restore). */
    get: (id: string, options: RevealOption = {}) =>
      this.client.request<PromptSession>('GET', `/api/v1/prompt-sessions/${enc(id)}`, {
        query: revealQuery(options),
      }),
    /** Saves the name or draft; 409 `locked` when another editor holds the lock. */
    save: (id: string, input: SaveSessionRequest) =>
      this.client.request<PromptSession>('PUT', `/api/v1/prompt-sessions/${enc(id)}`, { body: input }),
    delete: (id: string) =>
      this.client.request<PromptSession>('DELETE', `/api/v1/prompt-sessions/${enc(id)}`),
    lock: (id: string) =>
      this.client.request<PromptSession>('POST', `/api/v1/prompt-sessions/${enc(id)}/lock`),
    /** Releases the caller's lock; `force` (project admins) releases anyone's. */
    unlock: (id: string, options: { force?: boolean } = {}) =>
      this.client.request<PromptSession>('DELETE', `/api/v1/prompt-sessions/${enc(id)}/lock`, {
        query: { force: options.force ? 'true' : undefined },
      }),
    runs: (id: string, query: Omit<RunSearch, 'session_id'> = {}) =>
      this.client.request<{ runs: PromptRun[]; next: string | null }>(
        'GET',
        `/api/v1/prompt-sessions/${enc(id)}/runs`,
        { query: searchQuery(query) },
      ),
  };

  /** One prompt across models, or prompt variants on one model, over inputs: side by side. */
  compare(input: Omit<CompareRequest, 'stream'>, signal?: AbortSignal) {
    return this.client.request<CompareResult>('POST', '/api/v1/compare', { body: input, signal });
  }

  /** A comparison that reports each cell as it completes, then the whole result. */
  async *compareStream(
    input: Omit<CompareRequest, 'stream'>,
    signal?: AbortSignal,
  ): AsyncGenerator<CompareEvent> {
    const response = await this.client.raw('POST', '/api/v1/compare', {
      body: { ...input, stream: true },
      signal,
      headers: { accept: 'text/event-stream' },
    });
    yield* readJsonEvents<CompareEvent>(response, signal);
  }

  readonly samples = {
    list: (query: { task?: PromptTask; language?: 'ko' | 'en' } = {}) =>
      this.client.request<{ samples: PromptSample[] }>('GET', '/api/v1/prompt-samples', { query }),
    /** Loads samples into the project as templates; existing names are skipped, not overwritten. */
    load: (input: LoadSamplesRequest = {}) =>
      this.client.request<{ created: PromptSummary[]; skipped: { name: string; reason: string }[] }>(
        'POST',
        '/api/v1/prompt-samples/load',
        { body: input },
      ),
  };

  readonly files = {
    /** Templates as YAML files (one per template, every version and label). */
    export: (names?: string[]) =>
      this.client.request<{ files: PromptFile[] }>('GET', '/api/v1/prompt-files', {
        query: { names: names?.length ? names.join(',') : undefined },
      }),
    /** Imports YAML files in one transaction: all of them, or nothing. */
    import: (input: ImportRequest) =>
      this.client.request<ImportResponse>('POST', '/api/v1/prompt-files', { body: input }),
  };
}
