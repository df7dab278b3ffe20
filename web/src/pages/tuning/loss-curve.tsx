/** A head's loss curve (training and validation loss per epoch) as a small SVG line chart. */
import type { CurvePoint } from '@keel/sdk';
import { useI18n } from '../../i18n/i18n-context';

const W = 360;
const H = 160;
const PAD = 24;

export function LossCurve({ curve }: { curve: CurvePoint[] }) {
  const { t, format } = useI18n();
  if (curve.length === 0) return null;
  const values = curve.flatMap((p) => [p.trainLoss, p.validationLoss]);
  const max = Math.max(...values, 1e-9);
  const last = curve.length > 1 ? curve.length - 1 : 1;
  const x = (i: number) => PAD + (i / last) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - (v / max) * (H - 2 * PAD);
  const line = (key: 'trainLoss' | 'validationLoss') => curve.map((p, i) => `${x(i)},${y(p[key])}`).join(' ');
  const final = curve[curve.length - 1] as CurvePoint;
  return (
    <figure className="tuning-curve">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('tuning.curve')}>
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="currentColor" strokeOpacity={0.3} />
        <polyline points={line('trainLoss')} fill="none" stroke="#0f62fe" strokeWidth={2} />
        <polyline
          points={line('validationLoss')}
          fill="none"
          stroke="#da1e28"
          strokeWidth={2}
          strokeDasharray="4 3"
        />
      </svg>
      <figcaption>
        <span>
          {t('tuning.trainLoss')}: {format.number(final.trainLoss, { maximumFractionDigits: 4 })}
        </span>{' '}
        <span>
          {t('tuning.validationLoss')}: {format.number(final.validationLoss, { maximumFractionDigits: 4 })}
        </span>
      </figcaption>
    </figure>
  );
}
