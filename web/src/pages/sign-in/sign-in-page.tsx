/**
 * Sign in with an API key or with an e-mail and password. After an expired or revoked key the
 * page says so; the work the user had open is still in session storage and comes back after.
 */
import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { type SignInNotice, useSession } from '../../session/session-context';
import { LanguageToggle } from '../../shell/language-toggle';

type Method = 'key' | 'password';

export function SignInPage({ notice }: { notice?: SignInNotice | undefined }) {
  const { t } = useI18n();
  const session = useSession();
  const [method, setMethod] = useState<Method>('key');
  const [key, setKey] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError>();
  const ids = { key: useId(), email: useId(), password: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (method === 'key') await session.signInWithKey(key);
      else await session.signInWithPassword(email, password);
    } catch (cause) {
      setError(describeError(cause));
      setBusy(false);
    }
  };

  return (
    <main className="centered-page sign-in">
      <div className="sign-in-language">
        <LanguageToggle tone="light" />
      </div>
      <section className="card narrow" aria-labelledby="sign-in-title">
        <p className="brand-large" aria-hidden="true">
          ⚓ Keel
        </p>
        <h1 id="sign-in-title">{t('signIn.title')}</h1>
        {notice === 'expired' ? (
          <p className="notice notice-warning" role="status">
            {t('signIn.expired')}
          </p>
        ) : null}
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('signIn.method')}</legend>
          {(['key', 'password'] as const).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={method === option}
              onClick={() => {
                setMethod(option);
                setError(undefined);
              }}
            >
              {t(option === 'key' ? 'signIn.withKey' : 'signIn.withAccount')}
            </button>
          ))}
        </fieldset>
        <form className="stack" onSubmit={(event) => void submit(event)}>
          {method === 'key' ? (
            <div className="field">
              <label htmlFor={ids.key}>{t('signIn.apiKey')}</label>
              <input
                id={ids.key}
                type="password"
                autoComplete="off"
                spellCheck={false}
                required
                value={key}
                placeholder="keel_…"
                onChange={(event) => setKey(event.target.value)}
              />
              <p className="hint">{t('signIn.apiKeyHint')}</p>
            </div>
          ) : (
            <>
              <div className="field">
                <label htmlFor={ids.email}>{t('signIn.email')}</label>
                <input
                  id={ids.email}
                  type="email"
                  autoComplete="username"
                  required
                  value={email}
                  onChange={(event) => setEmail(event.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={ids.password}>{t('signIn.password')}</label>
                <input
                  id={ids.password}
                  type="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                />
              </div>
            </>
          )}
          {error ? <ErrorNotice error={error} title={t('signIn.failed')} /> : null}
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('signIn.signingIn') : t('signIn.submit')}
          </button>
        </form>
      </section>
    </main>
  );
}
