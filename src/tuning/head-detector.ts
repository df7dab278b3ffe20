/**
 * @module tuning/head-detector
 * Trained heads as guardrail detectors: for each head a policy names (`head:<name>[@<version>]`,
 * with the labels that flag), one span over the whole text scored by the head's calibrated
 * probability of the likeliest of those labels. The guardrail service keeps the spans that reach
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
      const { head, predictions } = await tuning.classifyApproved(projectId, name, [text], version);
      const scores = predictions[0]?.scores ?? [];
      const flagged = scores
        .filter((s) => entry.labels.includes(s.label))
        .sort((a, b) => b.probability - a.probability)[0];
      if (!flagged) continue;
      spans.push({
        type: flagged.label,
        start: 0,
        end: text.length,
        score: flagged.probability,
        detector: entry.model,
        version: `v${head.version}`,
        reasons: [entry.family],
      });
    }
    return spans;
  };
}
