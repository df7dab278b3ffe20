/**
 * @module models/providers/llamacpp/llamacpp-host
 * What the llama.cpp model classes share with their provider: the runtime, the models directory
 * and compiled JSON grammars (compiling a schema costs milliseconds, so each is kept).
 */
import type { Llama, LlamaGrammar } from 'node-llama-cpp';
import { KeelError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { AdapterRequest, ResolvedAdapter } from '../../../spec/adapter-source.js';
import type { JSONSchema } from '../../../spec/json-schema.js';
import type { LlamaRuntime } from './llama-runtime.js';
import type { ModelHeader } from './local-models.js';

export interface LlamaCppHost {
  /** The provider name (`llamacpp`), the prefix of model ids. */
  readonly name: string;
  readonly runtime: LlamaRuntime;
  readonly logger: Logger;
  /** The GGUF file for a model id; throws `model_not_found` when there is none. */
  fileFor(modelId: string): string;
  header(modelId: string): Promise<ModelHeader>;
  /** A grammar for JSON output: any JSON value, or JSON matching `schema`. */
  grammar(schema?: JSONSchema): Promise<LlamaGrammar>;
  /** The adapter of a `<base>+<adapter>` id (throws `model_not_found` when none is served). */
  adapter(request: AdapterRequest): Promise<ResolvedAdapter>;
}

const maxCachedGrammars = 32;

export class GrammarCache {
  readonly #grammars = new Map<string, Promise<LlamaGrammar>>();

  constructor(private readonly llama: () => Promise<Llama>) {}

  get(schema?: JSONSchema): Promise<LlamaGrammar> {
    const key = schema === undefined ? '' : JSON.stringify(schema);
    let grammar = this.#grammars.get(key);
    if (!grammar) {
      grammar = this.#compile(schema);
      this.#grammars.set(key, grammar);
      grammar.catch(() => this.#grammars.delete(key));
      if (this.#grammars.size > maxCachedGrammars) this.#grammars.delete(this.#grammars.keys().next().value!);
    }
    return grammar;
  }

  async #compile(schema?: JSONSchema): Promise<LlamaGrammar> {
    const llama = await this.llama();
    if (schema === undefined) return llama.getGrammarFor('json');
    try {
      // node-llama-cpp compiles the JSON Schema subset it supports into a GBNF grammar.
      return await llama.createGrammarForJsonSchema(schema as never);
    } catch (error) {
      throw new KeelError(
        'invalid_request',
        `The JSON schema cannot be used for constrained decoding: ${(error as Error).message}`,
        {
          cause: error,
          data: {
            hint: 'Use types, properties, required, items, enum, const, anyOf/oneOf and string formats.',
          },
        },
      );
    }
  }
}
