/** Chooses between sign-in and the signed-in shell, and routes the shell's pages by path. */
import { lazy, Suspense, useEffect } from 'react';
import { Loading } from './components/loading';
import { useI18n } from './i18n/i18n-context';
import { navigate, usePath } from './lib/router';
import { PromptLabPage } from './pages/prompt-lab/prompt-lab-page';
import { SignInPage } from './pages/sign-in/sign-in-page';
import { useSession } from './session/session-context';
import { AppShell } from './shell/app-shell';
import { NotFoundPage } from './shell/not-found-page';
import { UnreachablePage } from './shell/unreachable-page';

// The Prompt Lab is the landing page and ships in the main bundle; the others load on first visit.
const ModelsPage = lazy(() =>
  import('./pages/models/models-page').then((module) => ({ default: module.ModelsPage })),
);
const CollectionsPage = lazy(() =>
  import('./pages/collections/collections-page').then((module) => ({ default: module.CollectionsPage })),
);
const DataPage = lazy(() =>
  import('./pages/data/data-page').then((module) => ({ default: module.DataPage })),
);
const UsagePage = lazy(() =>
  import('./pages/usage/usage-page').then((module) => ({ default: module.UsagePage })),
);
const EvaluationsPage = lazy(() =>
  import('./pages/evaluations/evaluations-page').then((module) => ({ default: module.EvaluationsPage })),
);
const TuningPage = lazy(() =>
  import('./pages/tuning/tuning-page').then((module) => ({ default: module.TuningPage })),
);
const GovernancePage = lazy(() =>
  import('./pages/governance/governance-page').then((module) => ({ default: module.GovernancePage })),
);
const DeploymentsPage = lazy(() =>
  import('./pages/deployments/deployments-page').then((module) => ({ default: module.DeploymentsPage })),
);
const MonitorsPage = lazy(() =>
  import('./pages/deployments/monitors-page').then((module) => ({ default: module.MonitorsPage })),
);
const IncidentsPage = lazy(() =>
  import('./pages/deployments/incidents-page').then((module) => ({ default: module.IncidentsPage })),
);

function Page({ path }: { path: string }) {
  if (path === '/prompt-lab') return <PromptLabPage />;
  if (path === '/models') return <ModelsPage />;
  if (path === '/usage') return <UsagePage />;
  if (path === '/data') return <DataPage />;
  if (path === '/collections') return <CollectionsPage />;
  if (path === '/evaluations') return <EvaluationsPage />;
  if (path === '/tuning') return <TuningPage />;
  if (path === '/governance') return <GovernancePage />;
  if (path === '/deployments') return <DeploymentsPage />;
  if (path === '/monitors') return <MonitorsPage />;
  if (path === '/incidents') return <IncidentsPage />;
  return <NotFoundPage />;
}

export function App() {
  const { state } = useSession();
  const { t } = useI18n();
  const path = usePath();
  useEffect(() => {
    if (path === '/' || path === '/index.html') navigate('/prompt-lab', { replace: true });
  }, [path]);
  if (state.status === 'signed-out') return <SignInPage notice={state.notice} />;
  if (state.status === 'loading') return <Loading label={t('session.loading')} />;
  if (state.status === 'unreachable') return <UnreachablePage message={state.message} />;
  return (
    <AppShell path={path}>
      <Suspense fallback={<Loading />}>
        <Page path={path} />
      </Suspense>
    </AppShell>
  );
}
