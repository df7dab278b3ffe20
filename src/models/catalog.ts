/**
 * @module models/catalog
 * The models Keel knows how to fetch and run locally: IBM Granite first, then multilingual
 * embedders, a reranker and small CPU-friendly open models. `keel models pull <id>` downloads an
 * entry into `<data-dir>/models/<id>.gguf`, where the embedded llama.cpp provider serves it as
 * `llamacpp:<id>`.
 *
 * Every repository and file name below was checked against public references that use it (this
 * machine cannot reach Hugging Face). A `sha256` is pinned only where two independent references
 * agreed on it; otherwise `pullModel` verifies against the digest Hugging Face sends with the file
 * (`X-Linked-ETag`). `sizeBytes` is informational (progress bars, disk checks).
 */
import type { ModelTask } from '../spec/provider.js';

export type CatalogSource =
  | {
      type: 'hf';
      /** `owner/name` on Hugging Face. */
      repo: string;
      /** Path of the file inside the repository. */
      file: string;
      /** Git revision; `main` when omitted. */
      revision?: string;
      sha256?: string;
      sizeBytes?: number;
    }
  | { type: 'url'; url: string; sha256?: string; sizeBytes?: number };

export interface CatalogEntry {
  /** The catalog id; also the file stem and the model id (`llamacpp:<id>`) once pulled. */
  id: string;
  displayName: string;
  family: string;
  publisher: string;
  tasks: ModelTask[];
  /** Context window the model was trained for, in tokens. */
  contextLength: number;
  /** SPDX id where there is one; otherwise the licence's own name. */
  licence: string;
  /** Whether the licence allows commercial use without a separate agreement. */
  commercialUse: boolean;
  /** Total parameters (approximate for the models whose cards round them). */
  parameters: number;
  /** Embedding vector length, for embedding models. */
  dimensions?: number;
  /** USD per million tokens; 0 for models that run locally. */
  pricePerMillion: { input: number; output: number };
  /** ISO 639-1 codes the publisher names as supported. */
  languages: string[];
  source: CatalogSource;
  /** The quantisation this entry downloads, and why. */
  quantisation: string;
  notes?: string;
  /** The same notes in Korean, for the console and clients that ask for Korean. */
  notesKo?: string;
}

const local = { input: 0, output: 0 };
const graniteLanguages = ['en', 'de', 'es', 'fr', 'ja', 'pt', 'ar', 'cs', 'it', 'ko', 'nl', 'zh'];
const chatTasks: ModelTask[] = ['generate', 'chat', 'summarize', 'extract', 'classify', 'qa', 'code'];

const entries: readonly CatalogEntry[] = [
  {
    id: 'granite-3.3-2b-instruct',
    displayName: 'IBM Granite 3.3 2B Instruct',
    family: 'granite',
    publisher: 'IBM',
    tasks: chatTasks,
    contextLength: 131_072,
    licence: 'Apache-2.0',
    commercialUse: true,
    parameters: 2_533_539_840,
    pricePerMillion: local,
    languages: graniteLanguages,
    source: {
      type: 'hf',
      repo: 'ibm-granite/granite-3.3-2b-instruct-GGUF',
      file: 'granite-3.3-2b-instruct-Q4_K_M.gguf',
      sha256: 'ac71e9e32c0bea919b409c5918f69ca74339854b0319c5065e4e9fb6d95c4852',
      sizeBytes: 1_545_303_328,
    },
    quantisation: 'Q4_K_M',
    notes: 'The default local model: small enough for a laptop CPU, good at RAG answers and extraction.',
    notesKo: '기본 로컬 모델: 노트북 CPU에서도 돌아갈 만큼 작고, RAG 답변과 정보 추출에 강합니다.',
  },
  {
    id: 'granite-3.3-8b-instruct',
    displayName: 'IBM Granite 3.3 8B Instruct',
    family: 'granite',
    publisher: 'IBM',
    tasks: chatTasks,
    contextLength: 131_072,
    licence: 'Apache-2.0',
    commercialUse: true,
    parameters: 8_170_000_000,
    pricePerMillion: local,
    languages: graniteLanguages,
    source: {
      type: 'hf',
      repo: 'ibm-granite/granite-3.3-8b-instruct-GGUF',
      file: 'granite-3.3-8b-instruct-Q4_K_M.gguf',
    },
    quantisation: 'Q4_K_M',
    notes: 'About 5 GB; wants 8 GB of free memory or a GPU.',
    notesKo: '약 5 GB: 여유 메모리 8 GB 또는 GPU가 필요합니다.',
  },
  {
    id: 'granite-4.0-micro',
    displayName: 'IBM Granite 4.0 Micro',
    family: 'granite',
    publisher: 'IBM',
    tasks: chatTasks,
    contextLength: 131_072,
    licence: 'Apache-2.0',
    commercialUse: true,
    parameters: 3_000_000_000,
    pricePerMillion: local,
    languages: graniteLanguages,
    source: {
      type: 'hf',
      repo: 'ibm-granite/granite-4.0-micro-GGUF',
      file: 'granite-4.0-micro-Q4_K_M.gguf',
      sizeBytes: 2_099_502_528,
    },
    quantisation: 'Q4_K_M',
    notes: 'Dense transformer (architecture `granite`); strong tool use for its size.',
    notesKo: '밀집(dense) 트랜스포머(아키텍처 `granite`): 크기에 비해 도구 호출에 강합니다.',
  },
  {
    id: 'granite-4.0-h-tiny',
    displayName: 'IBM Granite 4.0 H Tiny',
    family: 'granite',
    publisher: 'IBM',
    tasks: chatTasks,
    contextLength: 131_072,
    licence: 'Apache-2.0',
    commercialUse: true,
    parameters: 7_000_000_000,
    pricePerMillion: local,
    languages: graniteLanguages,
    source: {
      type: 'hf',
      repo: 'ibm-granite/granite-4.0-h-tiny-GGUF',
      file: 'granite-4.0-h-tiny-Q4_K_M.gguf',
      sizeBytes: 4_230_976_352,
    },
    quantisation: 'Q4_K_M',
    notes:
      'Hybrid Mamba-2/transformer mixture of experts (about 1B active parameters): fast on CPU, long context.',
    notesKo:
      'Mamba-2/트랜스포머 하이브리드 전문가 혼합 모델(활성 파라미터 약 1B): CPU에서 빠르고 긴 문맥을 다룹니다.',
  },
  {
    id: 'granite-embedding-278m-multilingual',
    displayName: 'IBM Granite Embedding 278M Multilingual',
    family: 'granite-embedding',
    publisher: 'IBM',
    tasks: ['embed'],
    contextLength: 512,
    licence: 'Apache-2.0',
    commercialUse: true,
    parameters: 278_000_000,
    dimensions: 768,
    pricePerMillion: local,
    languages: graniteLanguages,
    source: {
      type: 'hf',
      repo: 'bartowski/granite-embedding-278m-multilingual-GGUF',
      file: 'granite-embedding-278m-multilingual-Q6_K.gguf',
    },
    quantisation: 'Q6_K',
    notes: 'XLM-RoBERTa encoder; handles Korean. Community GGUF conversion of the IBM model.',
    notesKo: 'XLM-RoBERTa 인코더로 한국어를 처리합니다. IBM 모델을 커뮤니티에서 GGUF로 변환한 파일입니다.',
  },
  {
    id: 'granite-embedding-107m-multilingual',
    displayName: 'IBM Granite Embedding 107M Multilingual',
    family: 'granite-embedding',
    publisher: 'IBM',
    tasks: ['embed'],
    contextLength: 512,
    licence: 'Apache-2.0',
    commercialUse: true,
    parameters: 107_000_000,
    dimensions: 384,
    pricePerMillion: local,
    languages: graniteLanguages,
    source: {
      type: 'hf',
      repo: 'bartowski/granite-embedding-107m-multilingual-GGUF',
      file: 'granite-embedding-107m-multilingual-Q6_K_L.gguf',
      sizeBytes: 120_163_008,
    },
    quantisation: 'Q6_K_L',
    notes: 'The smallest multilingual embedder here; good for CPU-only indexing.',
    notesKo: '이 목록에서 가장 작은 다국어 임베딩 모델: CPU만으로 색인할 때 알맞습니다.',
  },
  {
    id: 'bge-m3',
    displayName: 'BAAI bge-m3',
    family: 'bge',
    publisher: 'BAAI',
    tasks: ['embed'],
    contextLength: 8192,
    licence: 'MIT',
    commercialUse: true,
    parameters: 568_000_000,
    dimensions: 1024,
    pricePerMillion: local,
    languages: ['en', 'ko', 'zh', 'ja', 'de', 'fr', 'es', 'ru', 'ar', 'pt', 'it', 'vi', 'th', 'id'],
    source: {
      type: 'hf',
      repo: 'gpustack/bge-m3-GGUF',
      file: 'bge-m3-Q8_0.gguf',
      sizeBytes: 634_553_760,
    },
    quantisation: 'Q8_0',
    notes: 'Strong multilingual retrieval (Korean included) with an 8K window for long chunks.',
    notesKo: '한국어를 포함한 다국어 검색에 강하고, 8K 문맥으로 긴 청크도 다룹니다.',
  },
  {
    id: 'bge-reranker-v2-m3',
    displayName: 'BAAI bge-reranker-v2-m3',
    family: 'bge',
    publisher: 'BAAI',
    tasks: ['rerank'],
    contextLength: 8192,
    licence: 'Apache-2.0',
    commercialUse: true,
    parameters: 568_000_000,
    pricePerMillion: local,
    languages: ['en', 'ko', 'zh', 'ja', 'de', 'fr', 'es', 'ru', 'ar', 'pt', 'it', 'vi', 'th', 'id'],
    source: {
      type: 'hf',
      repo: 'gpustack/bge-reranker-v2-m3-GGUF',
      file: 'bge-reranker-v2-m3-Q4_K_M.gguf',
      sizeBytes: 438_376_864,
    },
    quantisation: 'Q4_K_M',
    notes: 'Cross-encoder reranker (llama.cpp ranking pooling).',
    notesKo: '크로스 인코더 재순위 모델(llama.cpp 랭킹 풀링).',
  },
  {
    id: 'qwen2.5-1.5b-instruct',
    displayName: 'Qwen2.5 1.5B Instruct',
    family: 'qwen',
    publisher: 'Alibaba Qwen',
    tasks: chatTasks,
    contextLength: 32_768,
    licence: 'Apache-2.0',
    commercialUse: true,
    parameters: 1_540_000_000,
    pricePerMillion: local,
    languages: ['en', 'zh', 'ko', 'ja', 'fr', 'es', 'pt', 'de', 'it', 'ru', 'vi', 'th', 'ar'],
    source: {
      type: 'hf',
      repo: 'Qwen/Qwen2.5-1.5B-Instruct-GGUF',
      file: 'qwen2.5-1.5b-instruct-q4_k_m.gguf',
    },
    quantisation: 'Q4_K_M',
  },
  {
    id: 'qwen3-1.7b',
    displayName: 'Qwen3 1.7B',
    family: 'qwen',
    publisher: 'Alibaba Qwen',
    tasks: chatTasks,
    contextLength: 32_768,
    licence: 'Apache-2.0',
    commercialUse: true,
    parameters: 1_720_574_976,
    pricePerMillion: local,
    languages: ['en', 'zh', 'ko', 'ja', 'fr', 'es', 'pt', 'de', 'it', 'ru', 'vi', 'th', 'ar'],
    source: {
      type: 'hf',
      repo: 'Qwen/Qwen3-1.7B-GGUF',
      file: 'Qwen3-1.7B-Q8_0.gguf',
      sizeBytes: 1_834_426_016,
    },
    quantisation: 'Q8_0',
    notes: 'Thinks before answering unless the prompt says /no_think.',
    notesKo: '프롬프트에 /no_think가 없으면 답하기 전에 추론 과정을 거칩니다.',
  },
  {
    id: 'llama-3.2-1b-instruct',
    displayName: 'Llama 3.2 1B Instruct',
    family: 'llama',
    publisher: 'Meta',
    tasks: ['generate', 'chat', 'summarize', 'extract', 'classify', 'qa'],
    contextLength: 131_072,
    licence: 'Llama 3.2 Community License',
    commercialUse: true,
    parameters: 1_240_000_000,
    pricePerMillion: local,
    languages: ['en', 'de', 'fr', 'it', 'pt', 'hi', 'es', 'th'],
    source: {
      type: 'hf',
      repo: 'bartowski/Llama-3.2-1B-Instruct-GGUF',
      file: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    },
    quantisation: 'Q4_K_M',
    notes: 'Licence requires "Built with Llama" attribution and limits very large deployments.',
    notesKo: '라이선스상 "Built with Llama" 표기가 필요하고 초대형 서비스에는 제한이 있습니다.',
  },
  {
    id: 'llama-3.2-3b-instruct',
    displayName: 'Llama 3.2 3B Instruct',
    family: 'llama',
    publisher: 'Meta',
    tasks: ['generate', 'chat', 'summarize', 'extract', 'classify', 'qa'],
    contextLength: 131_072,
    licence: 'Llama 3.2 Community License',
    commercialUse: true,
    parameters: 3_210_000_000,
    pricePerMillion: local,
    languages: ['en', 'de', 'fr', 'it', 'pt', 'hi', 'es', 'th'],
    source: {
      type: 'hf',
      repo: 'bartowski/Llama-3.2-3B-Instruct-GGUF',
      file: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf',
    },
    quantisation: 'Q4_K_M',
    notes: 'Licence requires "Built with Llama" attribution and limits very large deployments.',
    notesKo: '라이선스상 "Built with Llama" 표기가 필요하고 초대형 서비스에는 제한이 있습니다.',
  },
  {
    id: 'gemma-3-1b-it',
    displayName: 'Gemma 3 1B Instruct',
    family: 'gemma',
    publisher: 'Google',
    tasks: ['generate', 'chat', 'summarize', 'qa'],
    contextLength: 32_768,
    licence: 'Gemma Terms of Use',
    commercialUse: true,
    parameters: 1_000_000_000,
    pricePerMillion: local,
    languages: ['en'],
    source: { type: 'hf', repo: 'ggml-org/gemma-3-1b-it-GGUF', file: 'gemma-3-1b-it-Q4_K_M.gguf' },
    quantisation: 'Q4_K_M',
    notes: "Use is subject to Google's Gemma prohibited-use policy.",
    notesKo: 'Google Gemma 금지 용도 정책을 따라야 합니다.',
  },
  {
    id: 'exaone-3.5-2.4b-instruct',
    displayName: 'EXAONE 3.5 2.4B Instruct',
    family: 'exaone',
    publisher: 'LG AI Research',
    tasks: ['generate', 'chat', 'summarize', 'extract', 'classify', 'qa'],
    contextLength: 32_768,
    licence: 'EXAONE AI Model License 1.1 - NC',
    commercialUse: false,
    parameters: 2_400_000_000,
    pricePerMillion: local,
    languages: ['ko', 'en'],
    source: {
      type: 'hf',
      repo: 'LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct-GGUF',
      file: 'EXAONE-3.5-2.4B-Instruct-Q4_K_M.gguf',
      sizeBytes: 1_644_918_272,
    },
    quantisation: 'Q4_K_M',
    notes: 'Korean-first bilingual model. Non-commercial licence: research and evaluation only.',
    notesKo: '한국어 중심의 2개 언어 모델. 비상업 라이선스: 연구와 평가 용도로만 쓸 수 있습니다.',
  },
];

/** All catalog entries, Granite first. */
export function listCatalog(): readonly CatalogEntry[] {
  return entries;
}

/** The entry with this id (case-insensitive), or undefined. */
export function findCatalogEntry(id: string): CatalogEntry | undefined {
  const wanted = id.toLowerCase();
  return entries.find((entry) => entry.id === wanted);
}

export const defaultHuggingFaceEndpoint = 'https://huggingface.co';

/**
 * The Hugging Face base URL: the explicit option, then `KEEL_HF_ENDPOINT` (a mirror, or a local
 * server in tests), then huggingface.co.
 */
export function huggingFaceEndpoint(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return (explicit ?? (env.KEEL_HF_ENDPOINT || undefined) ?? defaultHuggingFaceEndpoint).replace(/\/+$/, '');
}

/** `https://huggingface.co/<repo>/resolve/<revision>/<file>` with each path segment encoded. */
export function huggingFaceFileUrl(
  repo: string,
  file: string,
  options: { revision?: string; endpoint?: string } = {},
): URL {
  const encodePath = (value: string) => value.split('/').map(encodeURIComponent).join('/');
  return new URL(
    `${huggingFaceEndpoint(options.endpoint)}/${encodePath(repo)}/resolve/${encodeURIComponent(options.revision ?? 'main')}/${encodePath(file)}`,
  );
}

/**
 * Where to download an entry from.
 *
 * @example
 * resolveCatalogSource(findCatalogEntry('granite-3.3-2b-instruct')!).href
 * // → https://huggingface.co/ibm-granite/granite-3.3-2b-instruct-GGUF/resolve/main/granite-3.3-2b-instruct-Q4_K_M.gguf
 */
export function resolveCatalogSource(entry: CatalogEntry, options: { hfEndpoint?: string } = {}): URL {
  const source = entry.source;
  if (source.type === 'url') return new URL(source.url);
  return huggingFaceFileUrl(source.repo, source.file, {
    ...(source.revision ? { revision: source.revision } : {}),
    ...(options.hfEndpoint ? { endpoint: options.hfEndpoint } : {}),
  });
}
