/**
 * @module models/providers/onnx
 * Local ONNX encoder exports as embedding models (`onnx:<folder>`), run in-process by
 * @huggingface/transformers with mean pooling and L2 normalisation; nothing is downloaded.
 */
export { OnnxEmbeddingModel, type OnnxEmbeddingModelOptions } from './onnx-embedding-model.js';
export { createOnnxProvider, type OnnxProviderOptions, onnxExportFiles } from './onnx-provider.js';
