import { useI18n } from '../i18n/i18n-context';
import { useSession } from '../session/session-context';

/** Keel could not be reached (or answered with an error) while loading the signed-in caller. */
export function UnreachablePage({ message }: { message: string }) {
  const { t } = useI18n();
  const { retry, signOut } = useSession();
  return (
    <main className="centered-page">
      <section className="card narrow" role="alert">
        <h1>{t('unreachable.title')}</h1>
        <p>{message}</p>
        <div className="actions">
          <button type="button" className="button primary" onClick={retry}>
            {t('common.retry')}
          </button>
          <button type="button" className="button" onClick={() => void signOut()}>
            {t('shell.signOut')}
          </button>
        </div>
      </section>
    </main>
  );
}
