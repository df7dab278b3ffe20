import { Bm25Index } from '../../src/rag/lexical/bm25-index.js';
import { runLexicalIndexSuite } from './lexical-index.suite.js';

runLexicalIndexSuite(
  'bm25',
  () => new Bm25Index(),
  (bytes) => Bm25Index.deserialize(bytes),
);
