/**
 * @module models/providers/http
 * A model behind any HTTP endpoint (an external model: SageMaker, Azure ML, Vertex, a team's own
 * service) as `<name>:<model>`, configured in keel.yaml with a body template and response paths.
 */
export { HttpLanguageModel } from './http-language-model.js';
export { createHttpProvider, type HttpProviderOptions, type HttpProviderSettings } from './http-provider.js';
export { buildRequest, placeholderNames, templatePlaceholders } from './request-template.js';
export { parsePath, readPath } from './response-path.js';
