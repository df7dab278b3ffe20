import { useI18n } from '../i18n/i18n-context';

/**
 * A labelled progress bar. `done`/`total` in bytes (or items); an unknown total shows an
 * indeterminate bar with the amount so far.
 */
export function ProgressBar({
  label,
  done,
  total,
  unit = 'bytes',
  detail,
}: {
  label: string;
  done: number;
  total: number | undefined;
  unit?: 'bytes' | 'items';
  detail?: string | undefined;
}) {
  const { format, t } = useI18n();
  const show = (value: number) => (unit === 'bytes' ? format.bytes(value) : format.number(value));
  const fraction = total ? Math.min(1, done / total) : undefined;
  const text =
    fraction === undefined
      ? show(done)
      : t('progress.of', {
          done: show(done),
          total: show(total!),
          percent: format.number(fraction, { style: 'percent', maximumFractionDigits: 0 }),
        });
  return (
    <div className="progress">
      <div
        className={fraction === undefined ? 'progress-track indeterminate' : 'progress-track'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(fraction === undefined ? {} : { 'aria-valuenow': Math.round(fraction * 100) })}
        aria-valuetext={text}
      >
        <div
          className="progress-fill"
          style={fraction === undefined ? undefined : { width: `${fraction * 100}%` }}
        />
      </div>
      <span className="progress-text">
        {text}
        {detail ? ` · ${detail}` : ''}
      </span>
    </div>
  );
}
