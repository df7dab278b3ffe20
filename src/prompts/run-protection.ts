/**
 * @module prompts/run-protection
 * What of one run (or draft) is kept at rest under a guardrail policy. The prompt is masked by the
 * same `guardPrompt` pass the generation path makes — same spans, same placeholder numbers, so the
 * stored prompt is the one the model saw. The parts that pass does not check (system and assistant
 * messages, which a template fills from variables too, and the variables themselves) get the
 * policy's PII rules, and every raw value found anywhere is replaced wherever else it occurs. The
 * raw prompt, variables and placeholder map are sealed with the server key (AES-256-GCM, as the
 * pseudonym maps are) and only opened for a role the policy lets restore.
 *
 * @example
 * const protection = await protectRun({ prompt, variables, policy, hashKey });
 * store({ prompt: protection.prompt, variables: protection.variables, sealed: protection.seal(raw, key) });
 */
import type { PromptRun, RenderedPrompt, TemplateBody } from '../api/prompts.js';
import type { DirectionPolicy, PolicyBody } from '../guardrails/index.js';
import {
  evaluate,
  guardPrompt,
  type ModelSpans,
  openMapping,
  Pseudonymizer,
  piiEntityTypes,
  placeholderLabel,
  type SealedMapping,
  sealMapping,
  wellFormed,
} from '../guardrails/index.js';
import type { LanguageModelPrompt } from '../spec/language-model.js';

/** The policy a stored run or draft was masked under. */
export interface StoragePolicy {
  name: string;
  body: PolicyBody;
}

const piiTypes = new Set(piiEntityTypes);

/** The input policy with only its PII rules: text the request path does not judge is not judged here either. */
function piiOnly(policy: DirectionPolicy): DirectionPolicy {
  return {
    ...policy,
    hap: { ...policy.hap, enabled: false },
    injection: { ...policy.injection, enabled: false },
  };
}

/** A run's input as it may be stored, and what is needed to mask its output and seal the rest. */
export interface RunProtection {
  policy: string;
  /** The prompt as the policy let it through (what the model saw, plus PII masked in system messages). */
  prompt: LanguageModelPrompt;
  variables: Record<string, unknown>;
  /** The placeholders the model saw; restores them in its output. */
  pseudonymizer: Pseudonymizer;
  /** True when anything was masked: only then is there something to seal. */
  changed: boolean;
  /** Replaces every raw value found in the input wherever it occurs in `text` (the model may echo one). */
  maskText(text: string): string;
  /** `maskText` after the policy's PII rules: for text no guardrail has seen (output stored before redaction). */
  maskUnchecked(text: string): string;
}

export async function protectRun(input: {
  prompt: LanguageModelPrompt;
  variables: Record<string, unknown>;
  policy: StoragePolicy;
  hashKey: Buffer;
  modelSpans?: ModelSpans | undefined;
}): Promise<RunProtection> {
  const policy = input.policy.body.input;
  const guarded = await guardPrompt(input.prompt, policy, input.hashKey, input.modelSpans);
  const { pseudonymizer } = guarded;
  // Raw value → what stands in for it; collected from every pass.
  const known = new Map<string, string>();
  const remember = (value: string, type: string, action: string) => {
    if (!value.trim() || !piiTypes.has(type) || action === 'flag' || known.has(value)) return;
    known.set(
      value,
      action === 'pseudonymise' ? pseudonymizer.placeholderFor(type, value) : `[${placeholderLabel(type)}]`,
    );
  };
  const partText = (part: number | undefined) =>
    wellFormed(
      input.prompt.type === 'text' ? input.prompt.text : (input.prompt.messages[part ?? -1]?.content ?? ''),
    );
  for (const decision of guarded.decisions) {
    remember(partText(decision.part).slice(decision.start, decision.end), decision.type, decision.action);
  }
  const pii = piiOnly(policy);
  const maskFree = (text: string) => {
    if (!text) return text;
    const evaluation = evaluate(text, pii, {
      direction: 'input',
      mode: 'prompt',
      hashKey: input.hashKey,
      pseudonymizer,
    });
    const checked = wellFormed(text);
    for (const span of evaluation.spans)
      remember(checked.slice(span.start, span.end), span.type, span.action);
    return evaluation.text;
  };
  let prompt: LanguageModelPrompt = guarded.prompt;
  if (prompt.type === 'chat') {
    prompt = {
      type: 'chat',
      messages: prompt.messages.map((message) =>
        message.role === 'system' || message.role === 'assistant'
          ? { ...message, content: maskFree(message.content) }
          : message,
      ),
    };
  }
  const maskedVariables = mapStrings(input.variables, maskFree) as Record<string, unknown>;
  // Longest first, so a value inside a longer one does not break it up.
  const replacements = [...known].sort((a, b) => b[0].length - a[0].length);
  const maskText = (text: string) => {
    let out = text;
    for (const [value, replacement] of replacements)
      if (out.includes(value)) out = out.split(value).join(replacement);
    return out;
  };
  const maskedPrompt: LanguageModelPrompt =
    prompt.type === 'text'
      ? { type: 'text', text: maskText(prompt.text) }
      : { type: 'chat', messages: prompt.messages.map((m) => ({ ...m, content: maskText(m.content) })) };
  const variables = mapStrings(maskedVariables, maskText) as Record<string, unknown>;
  const changed =
    JSON.stringify(maskedPrompt) !== JSON.stringify(input.prompt) ||
    JSON.stringify(variables) !== JSON.stringify(input.variables);
  return {
    policy: input.policy.name,
    prompt: maskedPrompt,
    variables,
    pseudonymizer,
    changed,
    maskText,
    maskUnchecked: (text) => maskText(maskFree(text)),
  };
}

/** Applies `map` to every string in a JSON value (object keys stay). */
export function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  return value;
}

/** The raw values of a stored run or draft; sealed, they are the only copy. */
export interface RawValues {
  prompt?: RenderedPrompt | undefined;
  variables?: Record<string, unknown> | undefined;
  /** Placeholder → value, for the model's output. */
  mapping?: Record<string, string> | undefined;
  /** The output itself, for runs stored before redaction (their output was never guarded). */
  output?: string | undefined;
  json?: { value: unknown } | undefined;
  /** The template as run, where masking changed it (an inline template is the user's own text). */
  source?: TemplateBody | undefined;
}

export function sealRaw(raw: RawValues, key: Buffer): SealedMapping {
  return sealMapping({ raw: JSON.stringify(raw) }, key);
}

/** Opens sealed raw values; `forbidden` when this server key cannot. */
export function openRaw(sealed: SealedMapping, key: Buffer): RawValues {
  return JSON.parse(openMapping(sealed, key).raw ?? '{}') as RawValues;
}

/** A stored run with its raw values put back: prompt, variables, and placeholders restored in the output. */
export function revealedRun(run: PromptRun, raw: RawValues): PromptRun {
  const restorer = new Pseudonymizer(raw.mapping ?? {});
  const restore = (text: string) => restorer.restore(text);
  return {
    ...run,
    prompt: raw.prompt ?? run.prompt,
    variables: raw.variables ?? run.variables,
    source: raw.source ?? run.source,
    output: raw.output ?? restore(run.output),
    ...('json' in run ? { json: raw.json ? raw.json.value : mapStrings(run.json, restore) } : {}),
    ...(run.redaction ? { redaction: { ...run.redaction, revealed: true } } : {}),
  };
}
