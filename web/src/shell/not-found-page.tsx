import { useI18n } from '../i18n/i18n-context';
import { Link } from '../lib/router';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <section className="page">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <Link href="/prompt-lab" className="button">
        {t('nav.promptLab')}
      </Link>
    </section>
  );
}
