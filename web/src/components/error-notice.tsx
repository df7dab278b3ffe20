import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { ShownError } from '../lib/errors';

/**
 * An error as the server stated it, announced to screen readers: a summary in the console's
 * language for the codes it knows (the server's messages are English), then the server's message
 * and its code.
 */
export function ErrorNotice({
  error,
  title,
  children,
}: {
  error: ShownError;
  title?: string;
  children?: ReactNode;
}) {
  const { t, has } = useI18n();
  const summaryKey = `error.title.${error.code}`;
  const summary = has(summaryKey) ? t(summaryKey) : undefined;
  return (
    <div className="notice notice-error" role="alert">
      {title ? <strong className="notice-title">{title}</strong> : null}
      {summary && summary !== error.message ? <p className="notice-summary">{summary}</p> : null}
      <p className="notice-message">{error.message}</p>
      <p className="notice-meta">
        {t('error.code')}: <code>{error.code}</code>
        {error.status ? ` · HTTP ${error.status}` : ''}
      </p>
      {children}
    </div>
  );
}
