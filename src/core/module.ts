/**
 * @module core/module
 * The shape of a Keel module (audit, platform, guardrails, jobs, models, rag, prompts). Each
 * module's `index.ts` exports one such object; the server's runtime lists them in dependency order,
 * creates them in that order (each `create` receives what the runtime and the modules before it
 * built), starts them once all exist, and on shutdown stops them, then closes them, in reverse.
 * Routes are attached by the server (src/server/modules.ts), so a module never imports the HTTP
 * layer.
 *
 * @example
 * export const jobsModule: KeelModule<JobsDeps, { jobs: JobService }> = {
 *   name: 'jobs',
 *   create: (deps) => ({ jobs: new JobService(deps) }),
 *   start: (api) => api.jobs.start(),
 *   stop: (api) => api.jobs.stop(),
 * };
 */
import type { DatabaseV1 } from '../spec/database.js';
import type { KeelConfig } from './config.js';
import type { Logger } from './logger.js';
import type { KeelMetrics } from './metrics.js';

/** What the runtime opens before any module: every module's `create` receives these. */
export interface ModuleBase {
  config: KeelConfig;
  db: DatabaseV1;
  logger: Logger;
  metrics: KeelMetrics;
  /** Keel's own version (tracing reports it). */
  version: string;
}

/** One module. `Api` is the object it adds to the services handed to routes and later modules. */
export interface KeelModule<Deps, Api extends object> {
  readonly name: string;
  create(deps: Deps): Promise<Api> | Api;
  /** After every module exists (e.g. the job runner, once every module registered its kinds). */
  start?(api: Api): Promise<void> | void;
  /** First step of shutdown, in reverse order: stop taking work (running jobs go back to the queue). */
  stop?(api: Api): Promise<void> | void;
  /** Release what `create` opened, in reverse order, after every module stopped. */
  close?(api: Api): Promise<void> | void;
}
