/**
 * @module server/routes/watsonx/not-supported
 * The watsonx.ai method families Keel does not serve, each with Keel's nearest feature. The
 * guards (guards.ts) answer these with a watsonx-style 501 when no route matched, so a family
 * starts working the moment a module registers its routes. Trainings and fine-tunings are served
 * (trainings.ts: training-spec exports), so they are no longer listed.
 */
import { KeelError } from '../../../core/errors.js';

interface Family {
  pattern: RegExp;
  feature: string;
  nearest: string;
}

const families: Family[] = [
  {
    pattern: /^\/ml\/v1\/tuning\/documents(\/|$)/,
    feature: 'Tuning document extractions',
    nearest: 'load documents into a RAG collection (/api/v1/rag/collections), which extracts their text',
  },
  {
    pattern: /^\/ml\/v1\/tuning\/synthetic_data(\/|$)/,
    feature: 'Synthetic data generation',
    nearest:
      'run a generation template over many inputs in Prompt Lab (/api/v1/prompts) or an evaluation dataset',
  },
  {
    pattern: /^\/ml\/v1\/tuning\/taxonomies_imports(\/|$)/,
    feature: 'Taxonomy imports',
    nearest: 'keep a taxonomy as a Prompt Lab template variable or an evaluation dataset',
  },
  {
    pattern: /^\/ml\/v1\/text\/schemas\//,
    feature: 'Schema jobs (create, improve, merge, cluster)',
    nearest: 'structured output with a JSON schema in Prompt Lab (/api/v1/prompts)',
  },
  {
    pattern: /^\/ml\/v1\/audio\//,
    feature: 'Audio transcription',
    nearest: 'none: Keel serves text, embedding and rerank models only',
  },
];

/** The 501 to answer for a method Keel does not serve, or undefined when the path is unknown. */
export function notSupportedFor(method: string, path: string): KeelError | undefined {
  const family = families.find((candidate) => candidate.pattern.test(path));
  if (!family) return undefined;
  return new KeelError(
    'not_implemented',
    `${family.feature} (${method} ${path.slice(0, 120)}) is a watsonx.ai method Keel does not serve. Nearest in Keel: ${family.nearest}.`,
    { data: { hint: `Keel's nearest feature: ${family.nearest}.`, feature: family.feature } },
  );
}
