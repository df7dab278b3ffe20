/**
 * @module bench/rag/datasets
 * Reads the SQuAD-format retrieval sets from the shared datasets folder (`KEEL_DATASETS`
 * overrides it): every paragraph a document, every question's own paragraph its gold.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RetrievalSet {
  name: string;
  language: 'ko' | 'en';
  paragraphs: { id: string; title: string; text: string }[];
  questions: { id: string; text: string; gold: string }[];
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function datasetsDir(): string {
  return process.env.KEEL_DATASETS ?? path.resolve(here, '../../../shared/datasets');
}

const sources = {
  korquad: { folder: 'rag-ko-korquad-v1-dev', file: 'KorQuAD_v1.0_dev.json', language: 'ko' as const },
  xquad: { folder: 'rag-en-xquad', file: 'xquad.en.json', language: 'en' as const },
};

interface Squad {
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string }[] }[] }[];
}

/** Loads one set; throws with a clear message when the file is missing. */
export function loadRetrievalSet(name: keyof typeof sources): RetrievalSet {
  const source = sources[name];
  const file = path.join(datasetsDir(), source.folder, source.file);
  if (!existsSync(file)) {
    throw new Error(
      `Dataset ${name} not found at ${file}. Put the shared datasets there or set KEEL_DATASETS to their folder.`,
    );
  }
  const squad = JSON.parse(readFileSync(file, 'utf8')) as Squad;
  const set: RetrievalSet = { name, language: source.language, paragraphs: [], questions: [] };
  squad.data.forEach((article, a) => {
    article.paragraphs.forEach((paragraph, p) => {
      const id = `${a}-${p}`;
      set.paragraphs.push({ id, title: article.title.replaceAll('_', ' '), text: paragraph.context });
      for (const qa of paragraph.qas) set.questions.push({ id: qa.id, text: qa.question, gold: id });
    });
  });
  return set;
}
