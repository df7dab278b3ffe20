/**
 * @module core/provider-config
 * The `providers:` entries of keel.yaml, one schema per provider type (`openai-compatible`,
 * `ollama`, `watsonx`, `http`, `onnx`), and how a provider's API key is resolved. `core/config`
 * validates the whole file with it and re-exports it.
 */
import { z } from 'zod';

const providerBase = {
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'lowercase letters, digits and dashes, starting with a letter')
    .refine((name) => name !== 'llamacpp', 'the name "llamacpp" is reserved for embedded inference'),
  baseURL: z.url(),
  /** The API key itself (prefer apiKeyEnv: keys in files leak). */
  apiKey: z.string().min(1).optional(),
  /** Name of an environment variable holding the API key. */
  apiKeyEnv: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).default({}),
  /** Model ids this provider offers; when omitted Keel asks the provider. */
  models: z.array(z.string().min(1)).optional(),
  /** Request timeout for non-streaming calls, milliseconds. */
  timeoutMs: z.number().int().positive().default(120_000),
};

/** The provider name rule every `providers:` entry shares. */
const providerName = providerBase.name;

export const providerConfigSchema = z.discriminatedUnion('type', [
  z
    .strictObject({
      type: z.literal('openai-compatible'),
      ...providerBase,
      /**
       * Which server speaks the OpenAI API here, for the settings it adds (vLLM's min_tokens,
       * repetition_penalty, /tokenize, /v1/rerank …). `openai` assumes only the standard API.
       */
      dialect: z.enum(['openai', 'vllm', 'tgi', 'lmstudio', 'llamacpp-server', 'azure']).default('openai'),
      /** Azure OpenAI only: the `api-version` query parameter. */
      apiVersion: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/)
        .optional(),
      /** Azure OpenAI only: send every call to this deployment (otherwise the model id is the deployment name). */
      deployment: z.string().min(1).optional(),
    })
    .superRefine((value, context) => {
      if (value.dialect === 'azure') return;
      for (const key of ['apiVersion', 'deployment'] as const) {
        if (value[key] !== undefined)
          context.addIssue({ code: 'custom', path: [key], message: `${key} applies only to dialect: azure` });
      }
    }),
  z.strictObject({
    type: z.literal('ollama'),
    ...providerBase,
    baseURL: z.url().default('http://127.0.0.1:11434'),
  }),
  z.strictObject({
    type: z.literal('watsonx'),
    ...providerBase,
    /** watsonx.ai project or space the calls run in. */
    projectId: z.string().optional(),
    spaceId: z.string().optional(),
    /** IAM token endpoint; set to the Cloud Pak for Data URL for on-premises installs. */
    iamURL: z.url().default('https://iam.cloud.ibm.com'),
    apiVersion: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .default('2024-05-01'),
  }),
  z.strictObject({
    type: z.literal('http'),
    ...providerBase,
    /** The HTTP method of a call (the endpoint is `baseURL`, path included). */
    method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
    /**
     * Headers whose values are secrets: header name → the environment variable holding the value.
     * The value is never written to keel.yaml, never logged, and scrubbed from error messages.
     */
    headersEnv: z.record(z.string().min(1), z.string().min(1)).default({}),
    /**
     * The request body as JSON with placeholders (`{{input}}`, `{{messages}}`, `{{max_new_tokens}}`
     * …, see models/providers/http/request-template.ts). A string that is exactly one placeholder
     * becomes that value (an array, a number); one inside longer text is written into the text.
     */
    body: z.record(z.string(), z.unknown()),
    /** Where the answer is in the response JSON: dot paths such as `outputs[0].text` or `$.usage.in`. */
    response: z.strictObject({
      text: z.string().min(1),
      inputTokens: z.string().min(1).optional(),
      outputTokens: z.string().min(1).optional(),
    }),
  }),
  z.strictObject({
    type: z.literal('onnx'),
    name: providerName,
    /**
     * Folder of local ONNX encoder exports, one model per subfolder (`config.json`,
     * `tokenizer.json`, `onnx/model.onnx`), offered as `<name>:<subfolder>`. Relative paths are
     * against the working directory; default `<dataDir>/models/onnx`. Nothing is downloaded.
     */
    modelsDir: z.string().min(1).optional(),
  }),
]);
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

/** Resolves a provider's API key from `apiKey` or the variable named by `apiKeyEnv`. */
export function providerApiKey(
  provider: ProviderConfig,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (provider.type === 'onnx') return undefined;
  if (provider.apiKey) return provider.apiKey;
  if (provider.apiKeyEnv) return env[provider.apiKeyEnv];
  return undefined;
}
