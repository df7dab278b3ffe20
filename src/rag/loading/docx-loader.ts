/**
 * @module rag/loading/docx-loader
 * DOCX through mammoth to HTML, then the HTML loader: headings stay headings, tables become
 * Markdown tables. A file that is not a Word document fails with `unprocessable`.
 */
import mammoth from 'mammoth';
import { KeelError } from '../../core/errors.js';
import type { LoaderV1 } from '../../spec/loader.js';
import { htmlToDocument } from './html-loader.js';
import { mediaTypes } from './sniff.js';

export const docxLoader: LoaderV1 = {
  specificationVersion: 'v1',
  name: 'docx',
  mediaTypes: [mediaTypes.docx],
  async load(input) {
    let html: string;
    try {
      ({ value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(input.data) }));
    } catch (error) {
      throw new KeelError(
        'unprocessable',
        `${input.fileName ?? 'The file'} is not a readable Word document (${(error as Error).message}).`,
        {
          cause: error,
        },
      );
    }
    const document = htmlToDocument(html, mediaTypes.docx);
    if (!document.text.trim())
      throw new KeelError('unprocessable', `${input.fileName ?? 'The Word document'} contains no text.`);
    return document;
  },
};
