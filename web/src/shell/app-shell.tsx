/** The signed-in frame: header (brand, project, language, account), navigation and the page. */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { Link } from '../lib/router';
import { useMe, useSession } from '../session/session-context';
import { LanguageToggle } from './language-toggle';
import { pages } from './pages';
import { ProjectSwitcher } from './project-switcher';

export function AppShell({ path, children }: { path: string; children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  const { credential, signOut, projectId } = useSession();
  const role = me.projects.find((project) => project.id === projectId)?.role;
  const who = me.user?.display_name || me.user?.email || t('shell.apiKey');
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <Link href="/prompt-lab" className="brand" aria-label={t('shell.home')}>
          <span className="brand-mark" aria-hidden="true">
            ⚓
          </span>
          Keel
        </Link>
        <ProjectSwitcher />
        <div className="topbar-end">
          <LanguageToggle />
          <span className="identity" title={credential?.kind === 'session' ? credential.email : undefined}>
            <span className="identity-name">{who}</span>
            {role ? <span className="role-badge">{t(`role.${role}`)}</span> : null}
          </span>
          <button type="button" className="button ghost on-dark" onClick={() => void signOut()}>
            {t('shell.signOut')}
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label={t('shell.navigation')}>
        <ul>
          {pages.map((page) => (
            <li key={page.path}>
              <Link href={page.path} aria-current={path === page.path ? 'page' : undefined}>
                {t(page.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
