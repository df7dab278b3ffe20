/**
 * @module governance/risk/required-controls
 * The controls a result calls for, from the questionnaire's own `controls`: each applies when the
 * result meets any condition of its `when` (an EU category, Korea high-impact AI, an answer citing a
 * reference, a tier), and says which ones it met. A control marked `exclusive` that applies is the
 * whole list (a prohibited use has nothing to meet but the ban). The questionnaire's order is kept.
 */
import type {
  Bilingual,
  EuCategory,
  Questionnaire,
  RequiredControl,
  Scorecard,
} from '../../api/governance-risk.js';

const euNames: Record<EuCategory, Bilingual> = {
  prohibited: { en: 'prohibited practice', ko: '금지된 관행' },
  high: { en: 'high-risk', ko: '고위험' },
  limited: { en: 'limited risk', ko: '제한적 위험' },
  minimal: { en: 'minimal risk', ko: '최소 위험' },
};

type Result = Pick<Scorecard, 'eu_category' | 'korea_high_impact' | 'tier' | 'entries'>;

/** The controls the result calls for, each with its reason; [] for a questionnaire without controls. */
export function requiredControls(questionnaire: Questionnaire, result: Result): RequiredControl[] {
  const entries = Array.isArray(result.entries) ? result.entries : [];
  const required: (RequiredControl & { exclusive: boolean })[] = [];
  for (const control of questionnaire.controls ?? []) {
    const why: Bilingual[] = [];
    const { when } = control;
    if (when.euCategory?.includes(result.eu_category))
      why.push({
        en: `EU AI Act: ${euNames[result.eu_category].en}`,
        ko: `EU AI법: ${euNames[result.eu_category].ko}`,
      });
    if (when.koreaHighImpact && result.korea_high_impact)
      why.push({ en: 'Korea AI Basic Act: high-impact AI', ko: '인공지능기본법: 고영향 인공지능' });
    if (when.references)
      for (const entry of entries) {
        const cited = entry.references.filter((reference) => when.references!.includes(reference.id));
        if (!cited.length) continue;
        const citations = cited.map((reference) => reference.citation).join(', ');
        why.push({
          en: `"${entry.question.en}" → ${entry.answer.map((a) => a.en).join(', ')} (${citations})`,
          ko: `"${entry.question.ko}" → ${entry.answer.map((a) => a.ko).join(', ')} (${citations})`,
        });
      }
    if (when.tier?.includes(result.tier))
      why.push({ en: `risk tier ${result.tier}`, ko: `위험 등급 ${result.tier}` });
    if (!why.length) continue;
    required.push({
      id: control.id,
      source: control.source,
      citation: control.citation,
      text: control.text,
      reason: { en: why.map((w) => w.en).join('; '), ko: why.map((w) => w.ko).join('; ') },
      exclusive: control.exclusive === true,
    });
  }
  const alone = required.filter((control) => control.exclusive);
  return (alone.length ? alone : required).map(({ exclusive: _, ...control }) => control);
}
