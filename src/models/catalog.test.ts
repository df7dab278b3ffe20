import { describe, expect, it } from 'vitest';
import { findCatalogEntry, huggingFaceEndpoint, listCatalog, resolveCatalogSource } from './catalog.js';

describe('model catalog', () => {
  it('lists IBM Granite first and has unique, file-safe ids', () => {
    const entries = listCatalog();
    expect(entries[0]?.family).toBe('granite');
    const ids = entries.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
  });

  it('covers generation, a Korean-capable embedder and a reranker', () => {
    const entries = listCatalog();
    expect(entries.some((entry) => entry.tasks.includes('chat'))).toBe(true);
    expect(entries.some((entry) => entry.tasks.includes('embed') && entry.languages.includes('ko'))).toBe(
      true,
    );
    expect(entries.some((entry) => entry.tasks.includes('rerank'))).toBe(true);
  });

  it('keeps every entry well formed', () => {
    for (const entry of listCatalog()) {
      expect(entry.contextLength).toBeGreaterThan(0);
      expect(entry.parameters).toBeGreaterThan(0);
      expect(entry.pricePerMillion).toEqual({ input: 0, output: 0 });
      expect(entry.languages.length).toBeGreaterThan(0);
      if (entry.tasks.includes('embed')) expect(entry.dimensions).toBeGreaterThan(0);
      const source = entry.source;
      if (source.type === 'hf') {
        expect(source.repo).toMatch(/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/);
        expect(source.file).toMatch(/\.gguf$/);
      }
      if (source.sha256 !== undefined) expect(source.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('finds entries by id, case-insensitively', () => {
    expect(findCatalogEntry('granite-3.3-2b-instruct')?.displayName).toContain('Granite');
    expect(findCatalogEntry('GRANITE-3.3-2B-INSTRUCT')?.id).toBe('granite-3.3-2b-instruct');
    expect(findCatalogEntry('no-such-model')).toBeUndefined();
  });

  it('resolves Hugging Face sources to resolve URLs, with an overridable endpoint', () => {
    const entry = findCatalogEntry('granite-3.3-2b-instruct')!;
    expect(resolveCatalogSource(entry).href).toBe(
      'https://huggingface.co/ibm-granite/granite-3.3-2b-instruct-GGUF/resolve/main/granite-3.3-2b-instruct-Q4_K_M.gguf',
    );
    expect(resolveCatalogSource(entry, { hfEndpoint: 'http://127.0.0.1:9999/' }).href).toBe(
      'http://127.0.0.1:9999/ibm-granite/granite-3.3-2b-instruct-GGUF/resolve/main/granite-3.3-2b-instruct-Q4_K_M.gguf',
    );
  });

  it('reads KEEL_HF_ENDPOINT when no endpoint is passed', () => {
    expect(huggingFaceEndpoint(undefined, { KEEL_HF_ENDPOINT: 'https://hf-mirror.example/' })).toBe(
      'https://hf-mirror.example',
    );
    expect(huggingFaceEndpoint(undefined, {})).toBe('https://huggingface.co');
    expect(huggingFaceEndpoint('https://explicit.example', { KEEL_HF_ENDPOINT: 'https://env.example' })).toBe(
      'https://explicit.example',
    );
  });
});
