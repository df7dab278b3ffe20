/**
 * @module server/modules
 * The modules of one Keel instance, in the order they are created (each may use what the ones
 * before it built); they stop and close in reverse. Each entry is a module's own object (its
 * `index.ts`) with the HTTP routes the server registers for it: route code lives in
 * src/server/routes, so modules never import the HTTP layer.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { auditModule } from '../audit/index.js';
import type { KeelModule } from '../core/module.js';
import { dataModule } from '../data/index.js';
import { deploymentsModule } from '../deployments/index.js';
import { ledgerModule } from '../deployments/ledger/index.js';
import { monitoringModule } from '../deployments/monitoring/index.js';
import { evalsModule } from '../evals/index.js';
import { classificationModule, extractionModule } from '../extraction/index.js';
import { governanceModule } from '../governance/index.js';
import { guardrailsModule } from '../guardrails/index.js';
import { jobsModule } from '../jobs/index.js';
import { modelsModule } from '../models/index.js';
import { platformModule } from '../platform/index.js';
import { promptsModule } from '../prompts/index.js';
import { ragModule } from '../rag/index.js';
import { trainingExportModule } from '../tuning/export/index.js';
import { tuningModule } from '../tuning/index.js';
import type { KeelEnv, KeelServices } from './context.js';
import { registerAudit } from './routes/audit.js';
import { registerAuth } from './routes/auth.js';
import { registerDataRoutes } from './routes/data/index.js';
import { registerIncidentRoutes } from './routes/deployments/incidents.js';
import { registerDeploymentRoutes } from './routes/deployments/index.js';
import { registerLimitRoutes } from './routes/deployments/limits.js';
import { registerMcpRoutes } from './routes/deployments/mcp.js';
import { registerMonitorRoutes } from './routes/deployments/monitors.js';
import { registerEvalRoutes } from './routes/evals/index.js';
import { registerGovernanceRoutes } from './routes/governance/index.js';
import { registerGuardrailCheck } from './routes/guardrails/check.js';
import { registerGuardrailPolicies } from './routes/guardrails/policies.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerKeys } from './routes/keys.js';
import { registerModelRoutes } from './routes/models.js';
import { registerChatCompletions } from './routes/openai/chat-completions.js';
import { registerCompletions } from './routes/openai/completions.js';
import { registerEmbeddings } from './routes/openai/embeddings.js';
import { modelLister, registerModels } from './routes/openai/models.js';
import { registerProjects } from './routes/projects.js';
import { registerPromptRoutes } from './routes/prompts/index.js';
import { registerRagRoutes } from './routes/rag/collections.js';
import { registerTuningRoutes } from './routes/tuning/index.js';
import { registerUsage } from './routes/usage.js';
import { registerEmbeddingsAndTokenization } from './routes/watsonx/embeddings.js';
import { registerFoundationModels } from './routes/watsonx/foundation-models.js';
import {
  registerWatsonxGuards,
  registerWatsonxModelRoutes,
  registerWatsonxPromptRoutes,
} from './routes/watsonx/index.js';
import { registerWatsonxModelsRepository } from './routes/watsonx/models-repository.js';
import { registerTextChat } from './routes/watsonx/text-chat.js';
import { registerTextClassification } from './routes/watsonx/text-classification.js';
import { registerTextExtraction } from './routes/watsonx/text-extraction.js';
import { registerProjectFiles } from './routes/watsonx/text-extraction-files.js';
import { registerTextGeneration } from './routes/watsonx/text-generation.js';
import { registerWatsonxTrainings } from './routes/watsonx/trainings.js';
import { registerUtilityTools } from './routes/watsonx/utility-tools.js';

/** Registers a module's routes (behind authentication) on the app. */
export type RegisterRoutes = (app: OpenAPIHono<KeelEnv>, services: KeelServices) => void;

/** A module as the server runs it: the module's object and its routes. */
export interface ServerModule<Deps, Api extends object> extends KeelModule<Deps, Api> {
  routes?: RegisterRoutes;
}

function withRoutes<Deps, Api extends object>(
  module: KeelModule<Deps, Api>,
  routes?: RegisterRoutes,
): ServerModule<Deps, Api> {
  return routes ? { ...module, routes } : module;
}

/** Every module, in creation order. */
export const keelModules = [
  withRoutes(auditModule, registerAudit),
  withRoutes(platformModule, (app, services) => {
    registerKeys(app, services);
    registerProjects(app, services);
    registerAuth(app, services);
    registerUsage(app, services);
  }),
  withRoutes(guardrailsModule, (app, services) => {
    registerGuardrailCheck(app, services);
    registerGuardrailPolicies(app, services);
  }),
  withRoutes(jobsModule, registerJobRoutes),
  withRoutes(modelsModule, (app, services) => {
    registerWatsonxGuards(app, services.logger);
    const listModels = modelLister(services);
    registerModels(app, services, listModels);
    registerModelRoutes(app, services, listModels);
    registerChatCompletions(app, services);
    registerCompletions(app, services);
    registerEmbeddings(app, services);
    registerTextGeneration(app, services);
    registerTextChat(app, services);
    registerEmbeddingsAndTokenization(app, services);
    registerFoundationModels(app, services, listModels);
    registerWatsonxModelRoutes(app, services);
  }),
  withRoutes(ledgerModule, (app, services) => {
    registerLimitRoutes(app, services);
    // Keel as an MCP server: deployments and collections as tools, behind the ledger.
    registerMcpRoutes(app, services);
  }),
  withRoutes(monitoringModule, (app, services) => {
    registerMonitorRoutes(app, services);
    registerIncidentRoutes(app, services);
  }),
  withRoutes(ragModule, registerRagRoutes),
  withRoutes(promptsModule, (app, services) => {
    registerPromptRoutes(app, services);
    registerWatsonxPromptRoutes(app, services);
  }),
  withRoutes(evalsModule, registerEvalRoutes),
  withRoutes(governanceModule, (app, services) => {
    registerGovernanceRoutes(app, services);
    // watsonx repository models (/ml/v4/models) are governed model assets.
    registerWatsonxModelsRepository(app, services);
  }),
  withRoutes(deploymentsModule, registerDeploymentRoutes),
  withRoutes(dataModule, (app, services) => {
    registerDataRoutes(app, services);
    // watsonx utility agent tools: RAGQuery, SQLQuery (this module's read-only SQL), Webcrawler.
    registerUtilityTools(app, services);
  }),
  withRoutes(extractionModule, (app, services) => {
    registerProjectFiles(app, services);
    registerTextExtraction(app, services);
  }),
  withRoutes(tuningModule, registerTuningRoutes),
  // Training-spec exports: after extraction (the project's files) and evaluations (datasets).
  withRoutes(trainingExportModule, registerWatsonxTrainings),
  // watsonx text classification: after tuning, whose trained heads it can classify with.
  withRoutes(classificationModule, registerTextClassification),
] as const;

type ApiOf<M> = M extends KeelModule<never, infer Api> ? Api : never;
type Intersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void
  ? I
  : never;

/** What all the modules together add to the services. */
export type ModulesApi = Intersection<ApiOf<(typeof keelModules)[number]>>;
