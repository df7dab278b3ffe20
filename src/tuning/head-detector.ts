/**
 * @module tuning/head-detector
 * Trained heads as guardrail detectors: for each classifier head a policy names
 * (`head:<name>[@<version>]`, with the labels that flag), one span over the whole text scored by
 * the head's calibrated probability of the likeliest of those labels; for a tagger head, a span per
 * entity of those types (scored by its tags' mean probability). The guardrail service keeps the spans that reach
 * the policy's threshold. A head registered in governance must be approved before a policy can
 * use it (`asset_not_approved`): a policy is production.
 */
import type { HeadDetectorPolicy, HeadSpans } from '../guardrails/index.js';
import type { Span } from '../spec/detector.js';
import type { TuningService } from './tuning-service.js';

function parse(model: string): { name: string; version?: number } {
  const id = model.slice('head:'.length);
  const at = id.lastIndexOf('@');
  return at > 0 ? { name: id.slice(0, at), version: Number(id.slice(at + 1)) } : { name: id };
}

export function headSpans(tuning: TuningService): HeadSpans {
  return async (projectId: string, heads: readonly HeadDetectorPolicy[], text: string): Promise<Span[]> => {
    const spans: Span[] = [];
    for (const entry of heads) {
      const { name, version } = parse(entry.model);
      const served = await tuning.serve(projectId, name, text, { version, deploymentId: null });
      const common = { detector: entry.model, version: `v${served.head.version}`, reasons: [entry.family] };
      if (served.kind === 'tagger') {
        // A tagger's entities are spans of their own (a PII or product-name tagger).
        for (const entity of served.tagged.entities) {
          if (!entry.labels.includes(entity.type)) continue;
          spans.push({
            type: entity.type,
            start: entity.start,
            end: entity.end,
            score: entity.score,
            ...common,
          });
        }
        continue;
      }
      const flagged = served.prediction.scores
        .filter((s) => entry.labels.includes(s.label))
        .sort((a, b) => b.probability - a.probability)[0];
      if (!flagged) continue;
      spans.push({ type: flagged.label, start: 0, end: text.length, score: flagged.probability, ...common });
    }
    return spans;
  };
}
