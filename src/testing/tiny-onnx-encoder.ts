/**
 * @module testing/tiny-onnx-encoder
 * Writes a tiny BERT-like encoder that @huggingface/transformers' `feature-extraction` pipeline
 * loads like any sentence-embedding export: `config.json` (model_type bert, hidden_size),
 * `tokenizer.json` (WordPiece) and `onnx/model.onnx` — one Gather from a seeded embedding table,
 * output `last_hidden_state` [batch, sequence, hidden]. Mean-pooled, a text is the average of its
 * words' rows: texts that share words are close. Real ONNX, real tokenizer, no download.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { seededRandom } from '../tuning/seeded-random.js';
import { gatherOnnxModel, specialTokens, writeBertExportFiles } from './tiny-onnx-ner.js';

/** Words the encoder knows (everything else is [UNK], one shared row). */
export const tinyEncoderWords: readonly string[] = [
  'the',
  'report',
  'is',
  'late',
  'great',
  'awful',
  'thanks',
  'broken',
  'love',
  'hate',
  'service',
  'refund',
  '바보',
  '멍청이',
  '꺼져',
  '쓰레기',
  '고마워요',
  '좋아요',
  '멋져요',
  '사랑해요',
  '너는',
  '정말',
  '오늘도',
];

export interface TinyOnnxEncoderOptions {
  /** hidden_size, the vector length (default 32). */
  dimensions?: number;
  /** Seed of the embedding table; a different seed is a different encoder. */
  seed?: number;
  words?: readonly string[];
}

/** The encoder's vocabulary (token → row) and its [vocab, dimensions] embedding table. */
export function tinyEncoderTable(options: TinyOnnxEncoderOptions = {}): {
  vocab: Record<string, number>;
  table: Float32Array;
  dimensions: number;
} {
  const dimensions = options.dimensions ?? 32;
  const vocabulary = [...specialTokens, ...(options.words ?? tinyEncoderWords)];
  const vocab = Object.fromEntries(vocabulary.map((word, index) => [word, index]));
  const random = seededRandom(options.seed ?? 18);
  const table = new Float32Array(vocabulary.length * dimensions);
  for (let i = 0; i < table.length; i++) table[i] = random() * 2 - 1;
  return { vocab, table, dimensions };
}

/** Writes the encoder export into `directory` and returns its path. */
export async function writeTinyOnnxEncoder(
  directory: string,
  options: TinyOnnxEncoderOptions = {},
): Promise<string> {
  const { vocab, table, dimensions } = tinyEncoderTable(options);
  const rows = Object.keys(vocab).length;
  await writeBertExportFiles(directory, vocab, specialTokens, {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: dimensions,
  });
  await writeFile(
    path.join(directory, 'onnx', 'model.onnx'),
    gatherOnnxModel(table, rows, dimensions, false, 'last_hidden_state'),
  );
  return directory;
}
