/**
 * @module bench/watsonx/extraction
 * Text extraction (`/ml/v1/text/extractions`) speed and table accuracy on a generated multi-page
 * PDF (pdf-lib: prose and a 4×4 table of known cells on every page). Pages/s of Keel's extractor
 * (poppler `pdftotext -layout` plus table detection, where poppler is installed), of the RAG PDF
 * loader (pdf.js, the fallback), and of Debian's `pdftotext -layout` alone writing a file (the
 * anchor). Table cell accuracy: the share of known cells found, on the right page, in the right
 * row and column. Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/watsonx/extraction.ts          (KEEL_BENCH_PAGES=<n> to change the 200)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ExtractedDocument, extractDocument } from '../../src/extraction/extract-document.js';
import { generatedPdf, reportTable } from '../../src/extraction/testing/generated-pdf.js';

const PAGES = Number(process.env.KEEL_BENCH_PAGES ?? 200);
const ROUNDS = Number(process.env.KEEL_BENCH_ROUNDS ?? 5);
const log = (line: string) => process.stdout.write(`${line}\n`);

function cellAccuracy(document: ExtractedDocument): number {
  let found = 0;
  let total = 0;
  for (let page = 1; page <= PAGES; page++) {
    const expected = reportTable(page);
    const table = document.tables.find((candidate) => candidate.page_number === page);
    expected.forEach((row, r) => {
      row.forEach((cell, c) => {
        total++;
        if (table?.rows[r]?.[c] === cell) found++;
      });
    });
  }
  return found / total;
}

const pdf = await generatedPdf({ pages: PAGES, table: reportTable });
const keel = await extractDocument(pdf, { fileName: 'bench.pdf' });
const loader = await extractDocument(pdf, { fileName: 'bench.pdf', pdfEngine: 'pdfjs' });
const dir = mkdtempSync(path.join(tmpdir(), 'keel-extraction-bench-'));
const file = path.join(dir, 'bench.pdf');
writeFileSync(file, pdf);
let hasPoppler = true;
const engines: Record<'keel' | 'loader' | 'pdftotext', () => Promise<unknown> | unknown> = {
  keel: () => extractDocument(pdf, { fileName: 'bench.pdf' }),
  loader: () => extractDocument(pdf, { fileName: 'bench.pdf', pdfEngine: 'pdfjs' }),
  pdftotext: () => {
    if (hasPoppler) execFileSync('pdftotext', ['-layout', file, path.join(dir, 'out.txt')]);
  },
};
try {
  execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
} catch {
  hasPoppler = false;
  log('pdftotext is not installed (apt-get install poppler-utils): its column is empty.');
}
// Rounds interleave the engines, so a busy machine slows each of them alike.
const spent = { keel: 0, loader: 0, pdftotext: 0 };
for (let round = 0; round <= ROUNDS; round++)
  for (const name of Object.keys(engines) as (keyof typeof engines)[]) {
    const started = performance.now();
    await engines[name]();
    if (round > 0) spent[name] += performance.now() - started;
  }
rmSync(dir, { recursive: true, force: true });
const rate = (ms: number) => (ROUNDS * PAGES) / (ms / 1000);
const keelRate = rate(spent.keel);
const loaderRate = rate(spent.loader);
const pdftotextRate = hasPoppler ? rate(spent.pdftotext) : null;

const rows = [
  { engine: `keel extractor (${keel.engine})`, rate: keelRate, accuracy: cellAccuracy(keel) },
  { engine: 'RAG PDF loader (pdf.js)', rate: loaderRate, accuracy: cellAccuracy(loader) },
  { engine: 'pdftotext -layout (anchor)', rate: pdftotextRate, accuracy: null },
];
log(`Generated PDF: ${PAGES} pages, one 4×4 table per page, ${ROUNDS} timed rounds.`);
log('| engine | pages/s | × pdftotext | table cell accuracy |');
log('|---|---|---|---|');
for (const row of rows)
  log(
    `| ${row.engine} | ${row.rate === null ? '—' : Math.round(row.rate)} | ${
      row.rate !== null && pdftotextRate ? (row.rate / pdftotextRate).toFixed(2) : '—'
    } | ${row.accuracy === null ? '—' : row.accuracy.toFixed(3)} |`,
  );
log(
  JSON.stringify({
    bench: 'watsonx-extraction',
    pages: PAGES,
    engine: keel.engine,
    keelPagesPerSecond: Math.round(keelRate),
    loaderPagesPerSecond: Math.round(loaderRate),
    pdftotextPagesPerSecond: pdftotextRate === null ? null : Math.round(pdftotextRate),
    ratioToPdftotext: pdftotextRate ? Number((keelRate / pdftotextRate).toFixed(2)) : null,
    tableCellAccuracy: Number(cellAccuracy(keel).toFixed(3)),
    loaderTableCellAccuracy: Number(cellAccuracy(loader).toFixed(3)),
  }),
);
