/**
 * @module cli/table/monitor
 * The `keel monitor` commands of the command table.
 */
import type { CommandSpec } from '../command.js';

const monitor = () => import('../commands/monitor.js');

export const monitorCommands: CommandSpec[] = [
  {
    path: ['monitor', 'list'],
    description: "List the project's monitors (traffic, guardrails, drift, fairness).",
    options: [{ flags: '--deployment <id>', description: 'only the monitors of this deployment' }],
    load: monitor,
    handler: 'listCommand',
  },
  {
    path: ['monitor', 'create'],
    description:
      'Create a monitor: keel monitor create errors --kind traffic --thresholds "error_rate>0.05:critical"',
    arguments: ['<name>'],
    options: [
      {
        flags: '--kind <kind>',
        description: 'what it measures',
        choices: ['traffic', 'guardrails', 'drift', 'fairness'],
      },
      { flags: '--deployment <id>', description: 'watch one deployment (default: the whole project)' },
      { flags: '--thresholds <list>', description: 'metric<op>value[:severity], comma-separated' },
      { flags: '--interval <seconds>', description: 'how often it runs (default 300)' },
      { flags: '--window <seconds>', description: 'the window each run looks at (default: the interval)' },
      { flags: '--baseline <seconds>', description: 'drift: the baseline window before it (default 86400)' },
      { flags: '--attribute <name>', description: 'fairness: the protected attribute' },
      { flags: '--favourable <list>', description: 'fairness: favourable outcomes, comma-separated' },
      {
        flags: '--webhook <url>',
        description: 'deliver alerts here (signed; public addresses only unless allowed)',
      },
    ],
    load: monitor,
    handler: 'createCommand',
  },
  {
    path: ['monitor', 'run'],
    description: 'Run a monitor now and show its values and the alerts raised.',
    arguments: ['<id>'],
    load: monitor,
    handler: 'runCommand',
  },
  {
    path: ['monitor', 'results'],
    description: "A monitor's past runs, newest first.",
    arguments: ['<id>'],
    options: [{ flags: '--limit <n>', description: 'how many (default 50)' }],
    load: monitor,
    handler: 'resultsCommand',
  },
  {
    path: ['monitor', 'alerts'],
    description: 'Alerts raised by monitors, newest first, with their webhook delivery.',
    options: [{ flags: '--monitor <id>', description: 'only this monitor' }],
    load: monitor,
    handler: 'alertsCommand',
  },
  {
    path: ['monitor', 'incidents'],
    description: 'Incidents opened by alerts.',
    options: [
      {
        flags: '--status <status>',
        description: 'only these',
        choices: ['open', 'acknowledged', 'resolved'],
      },
    ],
    load: monitor,
    handler: 'incidentsCommand',
  },
  {
    path: ['monitor', 'ack'],
    description: 'Acknowledge an incident.',
    arguments: ['<incident>'],
    options: [{ flags: '--note <text>', description: 'add a note' }],
    load: monitor,
    handler: 'acknowledgeCommand',
  },
  {
    path: ['monitor', 'resolve'],
    description: 'Resolve an incident.',
    arguments: ['<incident>'],
    options: [{ flags: '--note <text>', description: 'add a note' }],
    load: monitor,
    handler: 'resolveCommand',
  },
  {
    path: ['monitor', 'limits'],
    description: "The ledger's limits and budgets with their use in the current window.",
    load: monitor,
    handler: 'limitsCommand',
  },
];
