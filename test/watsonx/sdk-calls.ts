/**
 * Minimal valid arguments for every method of the pinned `@ibm-cloud/watsonx-ai` SDK's `WatsonXAI`
 * class, in an order where creates come before the reads, updates and deletes that use their ids.
 * The conformance test calls each against a running Keel.
 */
import type { WatsonXAI } from '@ibm-cloud/watsonx-ai';

export interface CallContext {
  sdk: WatsonXAI;
  projectId: string;
  ids: Record<string, string>;
}

type Call = (ctx: CallContext) => Promise<unknown>;

const series = {
  data: {
    t: ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06'],
    y: [1, 2, 3, 4, 5, 6],
  },
  schema: { timestamp_column: 't', target_columns: ['y'] },
};
const docRef = {
  type: 'connection_asset',
  connection: { id: 'local' },
  location: { file_name: 'document.pdf' },
};
/** Training records the conformance test stores in the project's files before the calls. */
export const TRAINING_FILE = 'tuning/train.jsonl';
const trainingRef = { type: 'container', location: { path: TRAINING_FILE } };
const resultsRef = {
  type: 'connection_asset',
  connection: { id: 'local' },
  location: { file_name: 'results/' },
};

async function drain(stream: unknown): Promise<void> {
  for await (const _ of stream as AsyncIterable<unknown>) {
    // consume every event
  }
}

function remember<T>(ctx: CallContext, key: string, pick: (result: T) => string | undefined) {
  return (response: { result: T }) => {
    const id = pick(response.result);
    if (id) ctx.ids[key] = id;
    return response;
  };
}

const id = (ctx: CallContext, key: string) => ctx.ids[key] ?? `missing-${key}`;

/** Method name → its call. Every method of the class appears exactly once. */
export const sdkCalls: Record<string, Call> = {
  // Inference
  generateText: ({ sdk }) => sdk.generateText({ input: 'a b', modelId: 'echo:reverse' }),
  generateTextStream: async ({ sdk }) =>
    drain(await sdk.generateTextStream({ input: 'a b', modelId: 'echo:reverse' })),
  textChat: ({ sdk }) =>
    sdk.textChat({ modelId: 'echo:reverse', messages: [{ role: 'user', content: 'hi there' }] }),
  textChatStream: async ({ sdk }) =>
    drain(
      await sdk.textChatStream({
        modelId: 'echo:reverse',
        messages: [{ role: 'user', content: 'hi there' }],
      }),
    ),
  embedText: ({ sdk }) => sdk.embedText({ modelId: 'echo:embed', inputs: ['abc'] }),
  tokenizeText: ({ sdk }) => sdk.tokenizeText({ modelId: 'echo:reverse', input: 'a b c' }),
  textRerank: ({ sdk }) =>
    sdk.textRerank({ modelId: 'keel/lexical-rerank', query: 'a', inputs: [{ text: 'a b' }] }),
  timeSeriesForecast: ({ sdk }) => sdk.timeSeriesForecast({ modelId: 'keel/holt', ...series }),
  listFoundationModelSpecs: ({ sdk }) => sdk.listFoundationModelSpecs({}),
  listFoundationModelTasks: ({ sdk }) => sdk.listFoundationModelTasks({}),

  // Prompt assets
  createPrompt: (ctx) =>
    ctx.sdk
      .createPrompt({
        name: 'conformance',
        prompt: { model_id: 'echo:reverse', data: { instruction: 'Say hi' } },
      })
      .then(remember<{ id?: string }>(ctx, 'prompt', (r) => r.id)),
  getPrompt: (ctx) => ctx.sdk.getPrompt({ promptId: id(ctx, 'prompt') }),
  listPrompts: ({ sdk }) => sdk.listPrompts({}),
  updatePrompt: (ctx) =>
    ctx.sdk.updatePrompt({
      promptId: id(ctx, 'prompt'),
      name: 'conformance 2',
      prompt: { model_id: 'echo:reverse', data: { instruction: 'Say hello' } },
    }),
  updatePromptLock: (ctx) => ctx.sdk.updatePromptLock({ promptId: id(ctx, 'prompt'), locked: true }),
  getPromptLock: (ctx) => ctx.sdk.getPromptLock({ promptId: id(ctx, 'prompt') }),
  getPromptInput: (ctx) => ctx.sdk.getPromptInput({ promptId: id(ctx, 'prompt') }),
  createPromptChatItem: (ctx) =>
    ctx.sdk.createPromptChatItem({
      promptId: id(ctx, 'prompt'),
      chatItem: [{ type: 'question', content: 'hi' }],
    }),

  // Prompt sessions
  createPromptSession: (ctx) =>
    ctx.sdk
      .createPromptSession({ name: 'conformance' })
      .then(remember<{ id?: string }>(ctx, 'session', (r) => r.id)),
  getPromptSession: (ctx) => ctx.sdk.getPromptSession({ sessionId: id(ctx, 'session') }),
  updatePromptSession: (ctx) =>
    ctx.sdk.updatePromptSession({ sessionId: id(ctx, 'session'), name: 'renamed' }),
  createPromptSessionEntry: (ctx) =>
    ctx.sdk
      .createPromptSessionEntry({
        sessionId: id(ctx, 'session'),
        name: 'entry',
        createdAt: Date.now(),
        prompt: { model_id: 'echo:reverse', data: { instruction: 'x' } },
      })
      .then(remember<{ id?: string }>(ctx, 'entry', (r) => r.id)),
  listPromptSessionEntries: (ctx) => ctx.sdk.listPromptSessionEntries({ sessionId: id(ctx, 'session') }),
  getPromptSessionEntry: (ctx) =>
    ctx.sdk.getPromptSessionEntry({ sessionId: id(ctx, 'session'), entryId: id(ctx, 'entry') }),
  createPromptSessionEntryChatItem: (ctx) =>
    ctx.sdk.createPromptSessionEntryChatItem({
      sessionId: id(ctx, 'session'),
      entryId: id(ctx, 'entry'),
      chatItem: [{ type: 'question', content: 'hi' }],
    }),
  updatePromptSessionLock: (ctx) =>
    ctx.sdk.updatePromptSessionLock({ sessionId: id(ctx, 'session'), locked: true }),
  getPromptSessionLock: (ctx) => ctx.sdk.getPromptSessionLock({ sessionId: id(ctx, 'session') }),
  deletePromptSessionEntry: (ctx) =>
    ctx.sdk.deletePromptSessionEntry({ sessionId: id(ctx, 'session'), entryId: id(ctx, 'entry') }),
  deletePromptSession: (ctx) => ctx.sdk.deletePromptSession({ sessionId: id(ctx, 'session') }),

  // Spaces and deployments (the deployments module)
  createSpace: (ctx) =>
    ctx.sdk
      .createSpace({ name: 'conformance' })
      .then(remember<{ metadata?: { id?: string } }>(ctx, 'space', (r) => r.metadata?.id)),
  listSpaces: ({ sdk }) => sdk.listSpaces({}),
  getSpace: (ctx) => ctx.sdk.getSpace({ spaceId: id(ctx, 'space') }),
  updateSpace: (ctx) =>
    ctx.sdk.updateSpace({
      spaceId: id(ctx, 'space'),
      jsonPatch: [{ op: 'replace', path: '/description', value: 'x' }],
    }),
  createDeployment: (ctx) =>
    ctx.sdk
      .createDeployment({ name: 'conformance', online: {}, asset: { id: id(ctx, 'prompt') } })
      .then(remember<{ metadata?: { id?: string } }>(ctx, 'deployment', (r) => r.metadata?.id)),
  listDeployments: ({ sdk }) => sdk.listDeployments({}),
  getDeployment: (ctx) => ctx.sdk.getDeployment({ deploymentId: id(ctx, 'deployment') }),
  updateDeployment: (ctx) =>
    ctx.sdk.updateDeployment({
      deploymentId: id(ctx, 'deployment'),
      jsonPatch: [{ op: 'replace', path: '/description', value: 'x' }],
    }),
  deploymentGenerateText: (ctx) => ctx.sdk.deploymentGenerateText({ idOrName: id(ctx, 'deployment') }),
  deploymentGenerateTextStream: async (ctx) =>
    drain(await ctx.sdk.deploymentGenerateTextStream({ idOrName: id(ctx, 'deployment') })),
  deploymentsTextChat: (ctx) =>
    ctx.sdk.deploymentsTextChat({
      idOrName: id(ctx, 'deployment'),
      messages: [{ role: 'user', content: 'hi' }],
    }),
  deploymentsTextChatStream: async (ctx) =>
    drain(
      await ctx.sdk.deploymentsTextChatStream({
        idOrName: id(ctx, 'deployment'),
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ),
  deploymentsTimeSeriesForecast: (ctx) =>
    ctx.sdk.deploymentsTimeSeriesForecast({ idOrName: id(ctx, 'deployment'), ...series }),
  deleteDeployment: (ctx) => ctx.sdk.deleteDeployment({ deploymentId: id(ctx, 'deployment') }),
  deleteSpace: (ctx) => ctx.sdk.deleteSpace({ spaceId: id(ctx, 'space') }),
  deletePrompt: (ctx) =>
    ctx.sdk
      .updatePromptLock({ promptId: id(ctx, 'prompt'), locked: false })
      .then(() => ctx.sdk.deletePrompt({ promptId: id(ctx, 'prompt') })),

  // Text extraction and classification
  createTextExtraction: (ctx) =>
    ctx.sdk
      .createTextExtraction({ documentReference: docRef, resultsReference: resultsRef })
      .then(remember<{ metadata?: { id?: string } }>(ctx, 'extraction', (r) => r.metadata?.id)),
  listTextExtractions: ({ sdk }) => sdk.listTextExtractions({}),
  getTextExtraction: (ctx) => ctx.sdk.getTextExtraction({ id: id(ctx, 'extraction') }),
  deleteTextExtraction: (ctx) => ctx.sdk.deleteTextExtraction({ id: id(ctx, 'extraction') }),
  createTextClassification: (ctx) =>
    ctx.sdk
      .createTextClassification({ documentReference: docRef, parameters: {} } as never)
      .then(remember<{ metadata?: { id?: string } }>(ctx, 'classification', (r) => r.metadata?.id)),
  listTextClassifications: ({ sdk }) => sdk.listTextClassifications({}),
  getTextClassification: (ctx) => ctx.sdk.getTextClassification({ id: id(ctx, 'classification') }),
  deleteTextClassification: (ctx) => ctx.sdk.deleteTextClassification({ id: id(ctx, 'classification') }),

  // Schema jobs
  runCreateSchemaJob: ({ sdk }) => sdk.runCreateSchemaJob({ documentReference: docRef } as never),
  listCreateSchemaJobs: ({ sdk }) => sdk.listCreateSchemaJobs({}),
  getCreateSchemaJob: ({ sdk }) => sdk.getCreateSchemaJob({ id: 'missing' }),
  deleteCreateSchemaJob: ({ sdk }) => sdk.deleteCreateSchemaJob({ id: 'missing' }),
  runImproveSchemaJob: ({ sdk }) => sdk.runImproveSchemaJob({ parameters: {} } as never),
  listImproveSchemaJobs: ({ sdk }) => sdk.listImproveSchemaJobs({}),
  getImproveSchemaJob: ({ sdk }) => sdk.getImproveSchemaJob({ id: 'missing' }),
  deleteImproveSchemaJob: ({ sdk }) => sdk.deleteImproveSchemaJob({ id: 'missing' }),
  runMergeSchemaJob: ({ sdk }) => sdk.runMergeSchemaJob({ parameters: {} } as never),
  listMergeSchemaJobs: ({ sdk }) => sdk.listMergeSchemaJobs({}),
  getMergeSchemaJob: ({ sdk }) => sdk.getMergeSchemaJob({ id: 'missing' }),
  deleteMergeSchemaJob: ({ sdk }) => sdk.deleteMergeSchemaJob({ id: 'missing' }),
  runClusterSchemaJob: ({ sdk }) => sdk.runClusterSchemaJob({ parameters: {} } as never),
  listClusterSchemaJobs: ({ sdk }) => sdk.listClusterSchemaJobs({}),
  getClusterSchemaJob: ({ sdk }) => sdk.getClusterSchemaJob({ id: 'missing' }),
  deleteClusterSchemaJob: ({ sdk }) => sdk.deleteClusterSchemaJob({ id: 'missing' }),

  // Training and tuning: each create exports a training spec from the conformance test's
  // `tuning/train.jsonl` (Keel trains no model itself).
  createTraining: (ctx) =>
    ctx.sdk
      .createTraining({
        name: 't',
        resultsReference: resultsRef,
        trainingDataReferences: [trainingRef],
        promptTuning: { base_model: { model_id: 'google/flan-t5-xl' }, task_id: 'generation' },
      })
      .then(remember<{ metadata?: { id?: string } }>(ctx, 'training', (r) => r.metadata?.id)),
  listTrainings: ({ sdk }) => sdk.listTrainings({}),
  getTraining: (ctx) => ctx.sdk.getTraining({ trainingId: id(ctx, 'training') }),
  deleteTraining: (ctx) => ctx.sdk.deleteTraining({ trainingId: id(ctx, 'training') }),
  createFineTuning: (ctx) =>
    ctx.sdk
      .createFineTuning({
        name: 'f',
        trainingDataReferences: [trainingRef],
        resultsReference: resultsRef,
        parameters: {
          base_model: { model_id: 'ibm/granite-3-1-8b-base' },
          peft_parameters: { type: 'lora' },
        },
      })
      .then(remember<{ metadata?: { id?: string } }>(ctx, 'fineTuning', (r) => r.metadata?.id)),
  listFineTunings: ({ sdk }) => sdk.listFineTunings({}),
  getFineTuning: (ctx) => ctx.sdk.getFineTuning({ id: id(ctx, 'fineTuning') }),
  deleteFineTuning: (ctx) => ctx.sdk.deleteFineTuning({ id: id(ctx, 'fineTuning') }),
  createDocumentExtraction: ({ sdk }) =>
    sdk.createDocumentExtraction({ name: 'd', documentReferences: [docRef] } as never),
  listDocumentExtractions: ({ sdk }) => sdk.listDocumentExtractions({}),
  getDocumentExtraction: ({ sdk }) => sdk.getDocumentExtraction({ id: 'missing' }),
  cancelDocumentExtractions: ({ sdk }) => sdk.cancelDocumentExtractions({ id: 'missing' }),
  createSyntheticDataGeneration: ({ sdk }) => sdk.createSyntheticDataGeneration({ name: 's' }),
  listSyntheticDataGenerations: ({ sdk }) => sdk.listSyntheticDataGenerations({}),
  getSyntheticDataGeneration: ({ sdk }) => sdk.getSyntheticDataGeneration({ id: 'missing' }),
  cancelSyntheticDataGeneration: ({ sdk }) => sdk.cancelSyntheticDataGeneration({ id: 'missing' }),
  createTaxonomy: ({ sdk }) => sdk.createTaxonomy({ name: 't' } as never),
  listTaxonomies: ({ sdk }) => sdk.listTaxonomies({}),
  getTaxonomy: ({ sdk }) => sdk.getTaxonomy({ id: 'missing' }),
  deleteTaxonomy: ({ sdk }) => sdk.deleteTaxonomy({ id: 'missing' }),

  // Repository models
  createModel: (ctx) =>
    ctx.sdk
      .createModel({ name: 'm', type: 'custom_foundation_model_1.0' } as never)
      .then(remember<{ metadata?: { id?: string } }>(ctx, 'model', (r) => r.metadata?.id)),
  listModels: ({ sdk }) => sdk.listModels({}),
  getModel: (ctx) => ctx.sdk.getModel({ modelId: id(ctx, 'model') }),
  updateModel: (ctx) =>
    ctx.sdk.updateModel({
      modelId: id(ctx, 'model'),
      jsonPatch: [{ op: 'replace', path: '/name', value: 'x' }],
    }),
  deleteModel: (ctx) => ctx.sdk.deleteModel({ modelId: id(ctx, 'model') }),

  // Utility agent tools (Keel's own: RAGQuery, SQLQuery, Webcrawler) and audio
  listUtilityAgentTools: ({ sdk }) => sdk.listUtilityAgentTools(),
  getUtilityAgentTool: ({ sdk }) => sdk.getUtilityAgentTool({ toolId: 'SQLQuery' }),
  runUtilityAgentTool: ({ sdk }) =>
    sdk.runUtilityAgentTool({
      wxUtilityAgentToolsRunRequest: { tool_name: 'SQLQuery', input: 'SELECT 1 AS one' },
    } as never),
  runUtilityAgentToolByName: ({ sdk }) =>
    sdk.runUtilityAgentToolByName({
      toolId: 'SQLQuery',
      wxUtilityAgentToolsRunRequest: { input: 'SELECT 1 AS one' },
    } as never),
  transcribeAudio: ({ sdk }) =>
    sdk.transcribeAudio({ model: 'openai/whisper-tiny', file: Buffer.from('RIFF') } as never),
};
