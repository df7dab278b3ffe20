/** The console's pages, in navigation order. */
export const pages = [
  { path: '/prompt-lab', label: 'nav.promptLab' },
  { path: '/models', label: 'nav.models' },
  { path: '/collections', label: 'nav.collections' },
  { path: '/data', label: 'nav.data' },
  { path: '/usage', label: 'nav.usage' },
  { path: '/evaluations', label: 'nav.evaluations' },
  { path: '/tuning', label: 'nav.tuning' },
  { path: '/governance', label: 'nav.governance' },
  { path: '/deployments', label: 'nav.deployments' },
  { path: '/monitors', label: 'nav.monitors' },
  { path: '/incidents', label: 'nav.incidents' },
] as const;
