/**
 * @module testing/fake-upstreams
 * Fake upstream model servers for tests and benchmarks: real HTTP servers on 127.0.0.1 speaking
 * the OpenAI (and vLLM / Azure), Ollama and watsonx.ai (with IAM) wire formats and a prediction
 * endpoint of no standard shape (for the `http` provider), with a
 * configurable reply, chunking, delays and failures, recording what they receive.
 */
export {
  type FakeHttpModelOptions,
  fakeHttpModelPath,
  fakeHttpModelTemplate,
  startFakeHttpModel,
} from './fake-http-model.js';
export { type FakeOllamaOptions, startFakeOllama } from './fake-ollama.js';
export { type FakeOpenAIOptions, startFakeOpenAI } from './fake-openai.js';
export {
  defaultReply,
  type FakeFailure,
  type FakeUpstream,
  type FakeUpstreamChanges,
  type FakeUpstreamOptions,
  type RecordedRequest,
} from './fake-server.js';
export { type FakeWatsonx, type FakeWatsonxOptions, startFakeWatsonx } from './fake-watsonx.js';
