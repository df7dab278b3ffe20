import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { ShownError } from '../lib/errors';

/** An error as the server stated it: its message and its code, announced to screen readers. */
export function ErrorNotice({
  error,
  title,
  children,
}: {
  error: ShownError;
  title?: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="notice notice-error" role="alert">
      {title ? <strong className="notice-title">{title}</strong> : null}
      <p className="notice-message">{error.message}</p>
      <p className="notice-meta">
        {t('error.code')}: <code>{error.code}</code>
        {error.status ? ` · HTTP ${error.status}` : ''}
      </p>
      {children}
    </div>
  );
}
