/**
 * @module rag/testing/minimal-pdf
 * Writes small PDF files by hand for tests and benchmarks (no binary fixtures in the repository):
 * text pages in Helvetica (Latin-1 text), image-only pages (a grey bitmap, as a scanner makes),
 * and the password-protected variant (standard security handler, revision 2).
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export type PdfPage = { lines: string[] } | { image: { width: number; height: number; gray: Uint8Array } };

const padding = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

const pad = (password: string) => Buffer.concat([Buffer.from(password, 'latin1'), padding]).subarray(0, 32);
const md5 = (...parts: Uint8Array[]) => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (ch) => `\\${ch}`).replace(/[^\x20-\x7e]/g, '?');
}

/**
 * A PDF with the given pages; `password` makes it require that user password to open.
 *
 * @example
 * const bytes = writePdf([{ lines: ['Page one'] }, { lines: ['Page two'] }]);
 */
export function writePdf(pages: readonly PdfPage[], options: { password?: string } = {}): Uint8Array {
  const objects: (string | Buffer)[] = [];
  const add = (body: string | Buffer) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // pages tree, filled in below
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const page of pages) {
    let content: string;
    let resources: string;
    if ('lines' in page) {
      content = `BT /F1 12 Tf 14 TL 72 760 Td ${page.lines.map((line) => `(${escapePdfString(line)}) '`).join(' ')} ET`;
      resources = '<< /Font << /F1 3 0 R >> >>';
    } else {
      const { width, height, gray } = page.image;
      const data = deflateSync(gray);
      add(
        Buffer.concat([
          Buffer.from(
            `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`,
          ),
          data,
          Buffer.from('\nendstream'),
        ]),
      );
      const imageObject = objects.length;
      const scale = Math.min(540 / width, 720 / height);
      content = `q ${(width * scale).toFixed(2)} 0 0 ${(height * scale).toFixed(2)} 36 36 cm /Im1 Do Q`;
      resources = `<< /XObject << /Im1 ${imageObject} 0 R >> >>`;
    }
    add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
    const contentObject = objects.length;
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources ${resources} /Contents ${contentObject} 0 R >>`,
    );
    kids.push(objects.length);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((kid) => `${kid} 0 R`).join(' ')}] /Count ${kids.length} >>`;

  const id = md5(Buffer.from(`keel-${pages.length}-${options.password ?? ''}`));
  let trailerExtra = '';
  if (options.password !== undefined) {
    const permissions = -44;
    const owner = rc4(md5(pad(`${options.password}-owner`)).subarray(0, 5), pad(options.password));
    const p = Buffer.alloc(4);
    p.writeInt32LE(permissions);
    const key = md5(pad(options.password), owner, p, id).subarray(0, 5);
    const user = rc4(key, padding);
    add(
      `<< /Filter /Standard /V 1 /R 2 /O <${owner.toString('hex')}> /U <${user.toString('hex')}> /P ${permissions} >>`,
    );
    trailerExtra = ` /Encrypt ${objects.length} 0 R`;
  }

  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const bytes = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n'),
    ]);
    chunks.push(bytes);
    offset += bytes.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('')}`;
  const trailer = `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>]${trailerExtra} >>\nstartxref\n${offset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref + trailer, 'latin1'));
  return new Uint8Array(Buffer.concat(chunks));
}
