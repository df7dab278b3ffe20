/**
 * @module guardrails/onnx/load-pipeline
 * Loads a user-supplied model directory with @huggingface/transformers, from local files only
 * (nothing is ever downloaded), and turns a bad directory into one clear configuration error.
 */
import path from 'node:path';
import { KeelError } from '../../core/errors.js';

export type Pipeline = (input: string | string[], options?: Record<string, unknown>) => Promise<unknown>;

export async function loadPipeline(
  task: 'token-classification' | 'text-classification' | 'feature-extraction',
  modelDir: string,
  setting: string,
): Promise<Pipeline> {
  try {
    const { pipeline, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = '';
    const run = await pipeline(task, modelDir, { local_files_only: true, dtype: 'fp32' } as never);
    return run as unknown as Pipeline;
  } catch (error) {
    throw new KeelError(
      'invalid_config',
      `The model in ${modelDir} (${setting}) could not be loaded: ${(error as Error).message}`,
      {
        data: {
          hint: `Point ${setting} at a ${task} export with config.json, tokenizer.json and onnx/model.onnx.`,
        },
      },
    );
  }
}

/** The adapter's version with the model named as build metadata: the model is what changes results. */
export function modelVersion(modelDir: string): string {
  return `1.0.0+${path.basename(modelDir).replace(/[^0-9A-Za-z-]/g, '-')}`;
}
