/**
 * @module extraction/testing/generated-pdf
 * PDFs made with pdf-lib for tests and the benchmark: pages of prose with a table of known cells
 * drawn in columns, and a password-protected one (a standard security handler whose user password
 * is not empty, so no reader can open it without the password).
 */
import { PDFDocument, PDFHexString, StandardFonts } from 'pdf-lib';

export interface GeneratedPdfOptions {
  pages: number;
  /** Rows (header first) of the table drawn on every page; none when omitted. */
  table?: (page: number) => string[][];
}

const prose = [
  'Keel keeps documents in the project and extracts their text page by page.',
  'Each page of this generated report carries a short paragraph and a small table.',
  'The table below lists regions with their quarterly figures in separate columns.',
];

export async function generatedPdf(options: GeneratedPdfOptions): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 1; p <= options.pages; p++) {
    const page = doc.addPage([612, 792]);
    let y = 740;
    page.drawText(`Report page ${p}`, { x: 50, y, size: 16, font });
    y -= 30;
    for (const line of prose) {
      page.drawText(line, { x: 50, y, size: 11, font });
      y -= 16;
    }
    y -= 20;
    for (const row of options.table?.(p) ?? []) {
      row.forEach((cell, i) => page.drawText(cell, { x: 50 + i * 130, y, size: 11, font }));
      y -= 18;
    }
  }
  return doc.save({ useObjectStreams: false });
}

/** The table of page `p` in the generated report: a header and three rows. */
export function reportTable(p: number): string[][] {
  return [
    ['Region', 'Q1', 'Q2', 'Q3'],
    ['North', `${100 + p}`, `${200 + p}`, `${300 + p}`],
    ['South', `${110 + p}`, `${210 + p}`, `${310 + p}`],
    ['West', `${120 + p}`, `${220 + p}`, `${320 + p}`],
  ];
}

export async function encryptedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([300, 300]).drawText('Secret', { x: 50, y: 200, size: 14, font });
  const context = doc.context;
  context.trailerInfo.Encrypt = context.register(
    context.obj({
      Filter: 'Standard',
      V: 1,
      R: 2,
      O: PDFHexString.of('11'.repeat(32)),
      U: PDFHexString.of('22'.repeat(32)),
      P: -4,
    }),
  );
  context.trailerInfo.ID = context.obj([PDFHexString.of('ab'.repeat(16)), PDFHexString.of('ab'.repeat(16))]);
  return doc.save({ useObjectStreams: false });
}
