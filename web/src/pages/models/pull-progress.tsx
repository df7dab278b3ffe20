import type { PullJobJson } from '@keel/api/models';
import { ErrorNotice } from '../../components/error-notice';
import { ProgressBar } from '../../components/progress-bar';
import { useI18n } from '../../i18n/i18n-context';

/** A download's live progress; its error, when it failed; a cancel button while it runs. */
export function PullProgress({ job, onCancel }: { job: PullJobJson; onCancel?: (() => void) | undefined }) {
  const { t, format } = useI18n();
  if (job.status === 'failed' && job.error)
    return (
      <ErrorNotice
        error={{ ...job.error, status: 0 }}
        title={t('models.pullFailed', { source: job.source })}
      />
    );
  if (job.status === 'succeeded')
    return (
      <p className="notice notice-success" role="status">
        {t('models.pullDone', { model: job.model_id ?? job.source })}
      </p>
    );
  if (job.status === 'cancelled')
    return (
      <p className="notice" role="status">
        {t('models.pullCancelled')}
      </p>
    );
  return (
    <div className="pull-progress">
      <ProgressBar
        label={t('models.pulling', { source: job.source })}
        done={job.bytes_done}
        total={job.bytes_total ?? undefined}
        detail={
          job.bytes_per_second ? t('models.speed', { speed: format.bytes(job.bytes_per_second) }) : undefined
        }
      />
      {onCancel ? (
        <button type="button" className="button small" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      ) : null}
    </div>
  );
}
