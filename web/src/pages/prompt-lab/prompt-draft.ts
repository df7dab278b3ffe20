/**
 * The prompt being edited: its mode, the texts of each mode, variable values, the model and the
 * parameters, plus what a loaded template carried (declared variables, output schema, guardrail
 * policy, few-shot example pool) and which template version it came from. Autosaved to sessionStorage on every change,
 * so a reload, a sign-in after an expired key, or a failed run never loses it.
 */
import type { FewShotPool, PromptVariable } from '@keel/api/prompts';
import { isRecord, isStringRecord } from '../../lib/guards';
import { readJson, storageKeys, writeJson } from '../../lib/storage';
import { defaultParameters, type GenerationParameters } from './generation-parameters';

export const promptModes = ['freeform', 'structured', 'chat'] as const;
export type PromptMode = (typeof promptModes)[number];

export interface FewShotExample {
  input: string;
  output: string;
}

export interface StructuredPrompt {
  instruction: string;
  examples: FewShotExample[];
  inputPrefix: string;
  outputPrefix: string;
  testInput: string;
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatPrompt {
  system: string;
  turns: ChatTurn[];
  message: string;
}

/** Parts of a stored template the editor does not change but must keep when saving. */
export interface TemplateExtras {
  variables?: PromptVariable[];
  output_schema?: Record<string, unknown>;
  guardrail_policy?: string;
  /** Examples picked per input at render time; shown read-only, kept on save. */
  few_shot?: FewShotPool;
}

export interface PromptDraft {
  mode: PromptMode;
  modelId: string;
  freeform: string;
  structured: StructuredPrompt;
  chat: ChatPrompt;
  /** Variable values as typed into the inputs. */
  variables: Record<string, string>;
  parameters: GenerationParameters;
  extras: TemplateExtras;
  /** The saved template (and version) this draft was opened from or last saved as. */
  origin: { name: string; version: number } | null;
}

export function emptyDraft(): PromptDraft {
  return {
    mode: 'structured',
    modelId: '',
    freeform: '',
    structured: {
      instruction: '',
      examples: [],
      inputPrefix: 'Input:',
      outputPrefix: 'Output:',
      testInput: '',
    },
    chat: { system: '', turns: [], message: '' },
    variables: {},
    parameters: { ...defaultParameters },
    extras: {},
    origin: null,
  };
}

function isExample(value: unknown): value is FewShotExample {
  return isRecord(value) && typeof value.input === 'string' && typeof value.output === 'string';
}

function isTurn(value: unknown): value is ChatTurn {
  return (
    isRecord(value) &&
    (value.role === 'user' || value.role === 'assistant') &&
    typeof value.content === 'string'
  );
}

function isOrigin(value: unknown): value is PromptDraft['origin'] {
  return (
    value === null || (isRecord(value) && typeof value.name === 'string' && typeof value.version === 'number')
  );
}

export function isPromptDraft(value: unknown): value is PromptDraft {
  if (!isRecord(value) || !isRecord(value.structured) || !isRecord(value.chat) || !isRecord(value.parameters))
    return false;
  const { structured, chat } = value;
  return (
    promptModes.includes(value.mode as PromptMode) &&
    typeof value.modelId === 'string' &&
    typeof value.freeform === 'string' &&
    typeof structured.instruction === 'string' &&
    Array.isArray(structured.examples) &&
    structured.examples.every(isExample) &&
    typeof structured.inputPrefix === 'string' &&
    typeof structured.outputPrefix === 'string' &&
    typeof structured.testInput === 'string' &&
    typeof chat.system === 'string' &&
    Array.isArray(chat.turns) &&
    chat.turns.every(isTurn) &&
    typeof chat.message === 'string' &&
    isStringRecord(value.variables) &&
    isRecord(value.extras) &&
    isOrigin(value.origin)
  );
}

export function loadDraft(): PromptDraft {
  const stored = readJson('session', storageKeys.promptDraft, isPromptDraft);
  if (!stored) return emptyDraft();
  // Parameters added in later versions get their defaults.
  return { ...stored, parameters: { ...defaultParameters, ...stored.parameters } };
}

export function saveDraft(draft: PromptDraft): void {
  writeJson('session', storageKeys.promptDraft, draft);
}
