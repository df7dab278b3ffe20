/**
 * @module web/main
 * The Keel web console: a React single-page app served by `keel serve` at `/`. It talks to Keel
 * only through the SDK (`@keel/sdk`).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { I18nProvider } from './i18n/i18n-context';
import { SessionProvider } from './session/session-context';
import './styles/base.css';
import './styles/shell.css';
import './styles/components.css';
import './styles/prompt-lab.css';
import './styles/pages.css';
import './styles/responsive.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
