/**
 * A read-only note on a template version that picks few-shot examples per input from a pool: how
 * many of how many, where the pool came from and how it picks. The pool is kept when the draft is
 * saved; the editor does not change it.
 */
import { fewShotSummary } from '@keel/sdk';
import { useI18n } from '../../i18n/i18n-context';
import type { TemplateExtras } from './prompt-draft';

export function FewShotNote({ extras }: { extras: TemplateExtras }) {
  const { t } = useI18n();
  const pool = fewShotSummary(extras);
  if (!pool) return null;
  return (
    <section className="few-shot-note" aria-label={t('lab.fewShot')}>
      <strong>{t('lab.fewShotPool', { k: pool.k, size: pool.size })}</strong>
      <span className="hint">
        {[
          pool.source ? t('lab.fewShotSource', { source: pool.source }) : null,
          t(pool.balanceLabels ? 'lab.fewShotBalanced' : 'lab.fewShotUnbalanced'),
          t('lab.fewShotDiversity', { diversity: pool.diversity }),
        ]
          .filter(Boolean)
          .join(' · ')}
      </span>
      <span className="hint">{t('lab.fewShotKept')}</span>
    </section>
  );
}
