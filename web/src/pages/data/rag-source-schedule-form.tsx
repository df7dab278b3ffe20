/**
 * A RAG source's schedule: on demand, every N minutes or a cron expression (UTC), as text and as
 * the fields that set it (on each source's row and in the new source's form).
 */
import type { DataSyncSchedule } from '@keel/sdk';
import { type FormEvent, useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n-context';

export type ScheduleKind = 'none' | 'interval' | 'cron';

/** The schedule a kind and its value name (minutes for an interval), or null for none. */
export function scheduleOf(kind: ScheduleKind, value: string): DataSyncSchedule | null {
  if (kind === 'interval') return { every_seconds: Math.round(Number(value) * 60) };
  if (kind === 'cron') return { cron: value.trim() };
  return null;
}

export function useScheduleText() {
  const { t, format } = useI18n();
  return (schedule: DataSyncSchedule | null) => {
    if (!schedule) return t('data.ragOnDemand');
    if ('every_seconds' in schedule) {
      return t('data.ragEvery', {
        minutes: format.number(schedule.every_seconds / 60, { maximumFractionDigits: 1 }),
      });
    }
    return t('data.ragCron', { cron: schedule.cron });
  };
}

export function ScheduleFields({
  name,
  kind,
  value,
  onKind,
  onValue,
}: {
  name: string;
  kind: ScheduleKind;
  value: string;
  onKind(kind: ScheduleKind): void;
  onValue(value: string): void;
}) {
  const { t } = useI18n();
  const ids = { kind: useId(), value: useId() };
  return (
    <>
      <label htmlFor={ids.kind}>{t('data.ragScheduleOf', { name })}</label>
      <select id={ids.kind} value={kind} onChange={(e) => onKind(e.target.value as ScheduleKind)}>
        <option value="none">{t('data.ragOnDemand')}</option>
        <option value="interval">{t('data.ragInterval')}</option>
        <option value="cron">{t('data.ragCronOption')}</option>
      </select>
      {kind === 'none' ? null : (
        <>
          <label htmlFor={ids.value}>
            {kind === 'interval' ? t('data.ragMinutesOf', { name }) : t('data.ragCronOf', { name })}
          </label>
          <input
            id={ids.value}
            value={value}
            inputMode={kind === 'interval' ? 'numeric' : 'text'}
            placeholder={kind === 'interval' ? '60' : '0 3 * * *'}
            onChange={(e) => onValue(e.target.value)}
            required
          />
        </>
      )}
    </>
  );
}

export function ScheduleForm({
  name,
  current,
  busy,
  onSave,
}: {
  name: string;
  current: DataSyncSchedule | null;
  busy: boolean;
  onSave(schedule: DataSyncSchedule | null): void;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState<ScheduleKind>(
    !current ? 'none' : 'every_seconds' in current ? 'interval' : 'cron',
  );
  const [value, setValue] = useState(
    !current ? '' : 'every_seconds' in current ? String(current.every_seconds / 60) : current.cron,
  );
  function save(event: FormEvent) {
    event.preventDefault();
    onSave(scheduleOf(kind, value));
  }
  return (
    <form className="data-schedule" onSubmit={save} aria-label={t('data.ragScheduleOf', { name })}>
      <ScheduleFields name={name} kind={kind} value={value} onKind={setKind} onValue={setValue} />
      <button type="submit" disabled={busy} aria-label={t('data.ragSaveScheduleOf', { name })}>
        {t('data.ragSaveSchedule')}
      </button>
    </form>
  );
}
