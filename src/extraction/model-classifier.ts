/**
 * @module extraction/model-classifier
 * Classification by a chat model or a trained head, as pure steps around the call the service
 * makes:
 * - a chat model gets the taxonomy and the document's opening text and is asked for one label, as
 *   JSON constrained to the label set (an enum) where the model supports structured output; the
 *   answer is read back leniently (JSON, else the one label the text names), and anything outside
 *   the set means "not classified";
 * - a head (`head:<name>`, src/tuning) gives probabilities over its own labels; its best label is
 *   the answer when the taxonomy names it (any label when the request gave no schemas), and the
 *   document is not classified when the head prefers a label outside the taxonomy.
 */
import type { JSONSchema } from '../spec/json-schema.js';
import { type DocumentSchema, key } from './classification-schemas.js';
import type { ClassifierVerdict } from './lexical-classifier.js';

/** The document text a model sees: the start of the document, where its kind is usually plain. */
export const MODEL_INPUT_CHARS = 6_000;

export const NONE_LABEL = 'none';

export function classificationPrompt(text: string, taxonomy: readonly DocumentSchema[]) {
  const types = taxonomy
    .map((schema) => `- ${schema.document_type}: ${schema.document_description.replace(/\s+/g, ' ').trim()}`)
    .join('\n');
  const excerpt = text.length > MODEL_INPUT_CHARS ? `${text.slice(0, MODEL_INPUT_CHARS)}\n[…]` : text;
  return {
    system:
      'You classify documents into exactly one of the document types you are given. ' +
      `Answer with JSON: {"document_type": "<one of the names>"}, or {"document_type": "${NONE_LABEL}"} when none fits.`,
    user: `Document types:\n${types}\n\nDocument:\n<<<\n${excerpt}\n>>>\n\nWhich document type is this document?`,
  };
}

/** The answer's JSON schema: one property whose value is a taxonomy name or "none". */
export function answerSchema(taxonomy: readonly DocumentSchema[]): JSONSchema {
  return {
    type: 'object',
    properties: {
      document_type: {
        type: 'string',
        enum: [...taxonomy.map((schema) => schema.document_type), NONE_LABEL],
      },
    },
    required: ['document_type'],
    additionalProperties: false,
  } as JSONSchema;
}

/** Reads a model's answer as a taxonomy name, or null (none, or a name outside the set). */
export function parseModelAnswer(answer: string, taxonomy: readonly DocumentSchema[]): ClassifierVerdict {
  const byKey = new Map(taxonomy.map((schema) => [key(schema.document_type), schema.document_type]));
  let named: string | undefined;
  const json = answer.match(/\{[\s\S]*\}/);
  if (json) {
    try {
      const value = (JSON.parse(json[0]) as { document_type?: unknown }).document_type;
      if (typeof value === 'string') named = value;
    } catch {
      named = undefined;
    }
  }
  if (named === undefined) {
    // No JSON: the one taxonomy name the text mentions (the longest, when one contains another).
    const text = key(answer);
    const mentioned = [...byKey.keys()]
      .filter((label) => text.includes(label))
      .sort((a, b) => b.length - a.length);
    named = mentioned[0];
  }
  const chosen = named === undefined ? undefined : byKey.get(key(named));
  return {
    document_type: chosen ?? null,
    scores: chosen ? [{ document_type: chosen, score: 1 }] : [],
  };
}

/** A head's probabilities as a verdict over the taxonomy (or over the head's labels when none was given). */
export function headVerdict(
  scores: { label: string; probability: number }[],
  taxonomy: readonly DocumentSchema[] | null,
): ClassifierVerdict {
  const allowed = taxonomy
    ? new Map(taxonomy.map((schema) => [key(schema.document_type), schema.document_type]))
    : null;
  const ranked = scores
    .filter((entry) => !allowed || allowed.has(key(entry.label)))
    .map((entry) => ({
      document_type: allowed?.get(key(entry.label)) ?? entry.label,
      score: entry.probability,
    }))
    .sort((a, b) => b.score - a.score);
  const top = scores.reduce<{ label: string; probability: number } | undefined>(
    (best, entry) => (best && best.probability >= entry.probability ? best : entry),
    undefined,
  );
  const inTaxonomy = top !== undefined && (!allowed || allowed.has(key(top.label)));
  return { document_type: inTaxonomy ? (ranked[0]?.document_type ?? null) : null, scores: ranked };
}
