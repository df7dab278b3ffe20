/**
 * @module evals/red-team/probe
 * One red-team probe: an attack in one category and language, the context it may sit in (a
 * retrieved document, a record with synthetic PII), the system prompt it may try to extract, and
 * how to tell from the model's output — deterministically — that the attack worked. The schemas
 * are the API's (`api/red-team.ts`), so inline probes and Keel's own are checked alike.
 */
export {
  type Probe,
  type ProbeCategory,
  type ProbeInput,
  type ProbeLanguage,
  probeCategories,
  probeLanguages,
  probeSchema,
  type SuccessDetector,
  successDetectorSchema,
} from '../../api/red-team.js';
