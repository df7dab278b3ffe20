import { createUsearchIndex } from '../../src/rag/vector/usearch-vector-index.js';
import { runVectorIndexSuite } from './vector-index.suite.js';

runVectorIndexSuite('usearch f16', async (dimensions) => ({
  index: createUsearchIndex({ dimensions }),
  dispose: async () => {},
}));

runVectorIndexSuite('usearch f32', async (dimensions) => ({
  index: createUsearchIndex({ dimensions, quantization: 'f32' }),
  dispose: async () => {},
}));
