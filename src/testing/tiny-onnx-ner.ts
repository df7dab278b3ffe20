/**
 * @module testing/tiny-onnx-ner
 * Writes a tiny token-classification model that @huggingface/transformers loads like any BERT NER
 * export: `config.json` (labels), `tokenizer.json` (WordPiece), and `onnx/model.onnx` — one
 * Gather from a weight table, so each known word gets a fixed label. Real ONNX, real tokenizer, real
 * pipeline, no download: what the tests and `keel doctor` use to exercise the optional NER detector.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const labels = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC'] as const;

/** Words the model knows and the label it gives them (everything else is [UNK] → O). */
const lexicon: Record<string, (typeof labels)[number]> = {
  john: 'B-PER',
  smith: 'I-PER',
  maria: 'B-PER',
  garcia: 'I-PER',
  acme: 'B-ORG',
  corporation: 'I-ORG',
  seoul: 'B-LOC',
  busan: 'B-LOC',
  김민수: 'B-PER',
  이서연: 'B-PER',
  한빛전자: 'B-ORG',
  부산: 'B-LOC',
  '##는': 'O',
  '##은': 'O',
  '##이': 'O',
  '##가': 'O',
  '##에서': 'O',
  '##에': 'O',
};

// --- a minimal protobuf writer, enough for ONNX's ModelProto -------------------------------------

function varint(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, value: number | bigint) => [...key(field, 0), ...varint(value)];
function bytes(field: number, data: Uint8Array | number[]): number[] {
  return [...key(field, 2), ...varint(data.length), ...data];
}
const text = (field: number, value: string) => bytes(field, [...new TextEncoder().encode(value)]);
const message = (field: number, parts: number[][]) => bytes(field, parts.flat());

function tensorType(elemType: number, dims: (number | string)[]): number[][] {
  const shape = dims.map((dim) => message(1, [typeof dim === 'number' ? int(1, dim) : text(2, dim)]));
  return [message(1, [int(1, elemType), message(2, shape)])];
}
const valueInfo = (field: number, name: string, elemType: number, dims: (number | string)[]) =>
  message(field, [text(1, name), message(2, tensorType(elemType, dims))]);

/**
 * An ONNX model that looks each `input_ids` token up in a [vocab, width] weight table (one
 * Gather): per-token rows named `output`, or with `pooled` the strongest row value per column.
 */
export function gatherOnnxModel(
  weights: Float32Array,
  vocab: number,
  labelCount: number,
  pooled: boolean,
  output = 'logits',
): Uint8Array {
  const FLOAT = 1;
  const INT64 = 7;
  const initializer = message(5, [
    int(1, vocab),
    int(1, labelCount),
    int(2, FLOAT),
    text(8, 'classifier'),
    bytes(9, new Uint8Array(weights.buffer)),
  ]);
  const nodes = pooled
    ? [
        message(1, [
          text(1, 'classifier'),
          text(1, 'input_ids'),
          text(2, 'token_logits'),
          text(3, 'lookup'),
          text(4, 'Gather'),
        ]),
        // Sentence logits: the strongest word for each label (ReduceMax over the sequence).
        message(1, [
          text(1, 'token_logits'),
          text(2, 'logits'),
          text(3, 'pool'),
          text(4, 'ReduceMax'),
          message(5, [text(1, 'axes'), int(20, 7), int(8, 1)]),
          message(5, [text(1, 'keepdims'), int(20, 2), int(3, 0)]),
        ]),
      ]
    : [
        message(1, [
          text(1, 'classifier'),
          text(1, 'input_ids'),
          text(2, output),
          text(3, 'lookup'),
          text(4, 'Gather'),
        ]),
      ];
  const graph = message(7, [
    ...nodes,
    text(2, 'tiny'),
    initializer,
    valueInfo(11, 'input_ids', INT64, ['batch', 'sequence']),
    valueInfo(12, output, FLOAT, pooled ? ['batch', labelCount] : ['batch', 'sequence', labelCount]),
  ]);
  return new Uint8Array([
    ...int(1, 8),
    ...text(2, 'keel-tests'),
    ...graph,
    ...message(8, [text(1, ''), int(2, 13)]),
  ]);
}

/**
 * Writes a BERT export's config.json (`config`), WordPiece tokenizer.json over `vocab` and
 * tokenizer_config.json, and creates the onnx/ folder for the model.
 */
export async function writeBertExportFiles(
  directory: string,
  vocab: Record<string, number>,
  special: string[],
  config: Record<string, unknown>,
): Promise<void> {
  const special_tokens = Object.fromEntries(
    ['[CLS]', '[SEP]'].map((token) => [token, { id: token, ids: [vocab[token]], tokens: [token] }]),
  );
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: false,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens,
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
  await mkdir(path.join(directory, 'onnx'), { recursive: true });
  await writeFile(path.join(directory, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(path.join(directory, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(
    path.join(directory, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: 512,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
    }),
  );
}

export const specialTokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/**
 * A model whose every known word scores 8 for its label and every word 1 for the first label
 * (O / none): the vocabulary, the weight table and the files.
 */
async function writeTinyModel(
  directory: string,
  options: {
    labels: readonly string[];
    lexicon: Record<string, string>;
    pooled: boolean;
    architecture: string;
  },
): Promise<string> {
  const { labels: modelLabels, lexicon: words } = options;
  const vocabulary = [...specialTokens, ...Object.keys(words)];
  const vocab = Object.fromEntries(vocabulary.map((word, index) => [word, index]));
  const weights = new Float32Array(vocabulary.length * modelLabels.length);
  vocabulary.forEach((word, row) => {
    weights[row * modelLabels.length] = 1;
    const label = words[word];
    if (label) weights[row * modelLabels.length + modelLabels.indexOf(label)] = 8;
  });
  await writeBertExportFiles(directory, vocab, specialTokens, {
    model_type: 'bert',
    architectures: [options.architecture],
    id2label: Object.fromEntries(modelLabels.map((label, index) => [String(index), label])),
    label2id: Object.fromEntries(modelLabels.map((label, index) => [label, index])),
  });
  await writeFile(
    path.join(directory, 'onnx', 'model.onnx'),
    gatherOnnxModel(weights, vocabulary.length, modelLabels.length, options.pooled),
  );
  return directory;
}

/** Writes the NER model directory and returns its path. */
export function writeTinyOnnxNer(directory: string): Promise<string> {
  return writeTinyModel(directory, {
    labels,
    lexicon,
    pooled: false,
    architecture: 'BertForTokenClassification',
  });
}

const hapLabels = ['none', 'hate', 'abuse', 'profanity'] as const;
const hapLexicon: Record<string, (typeof hapLabels)[number]> = {
  vermin: 'hate',
  parasites: 'hate',
  idiot: 'abuse',
  moron: 'abuse',
  damn: 'profanity',
  버러지: 'hate',
  멍청이: 'abuse',
  젠장: 'profanity',
};

/**
 * Writes a tiny sentence classifier with labels none / hate / abuse / profanity (a sentence takes
 * the strongest label of its words), loaded like a BERT text-classification export.
 */
export function writeTinyOnnxHapClassifier(directory: string): Promise<string> {
  return writeTinyModel(directory, {
    labels: hapLabels,
    lexicon: hapLexicon,
    pooled: true,
    architecture: 'BertForSequenceClassification',
  });
}
