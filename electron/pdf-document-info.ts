// Gives a printed PDF the title and author a records system indexes. Chromium's print pipeline
// (printToPDF here, page.pdf in the tests) writes the page's title but never an author, and has no
// option for one. So the PDF gets one incremental update, as PDF editors write them: a new
// document-information dictionary, a cross-reference section for it alone, and a trailer that
// points back to the original. Every byte Chromium wrote stays as it was, tags and outline included.

/** A PDF text string: UTF-16BE with its byte-order mark, in hex, so any name is written exactly. */
function pdfText(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i += 1)
    hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/** A PDF date for now, in UTC: D:YYYYMMDDHHmmSSZ. */
function pdfDate(at: Date): string {
  const digits = at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `(D:${digits}Z)`;
}

export class PdfNotUnderstood extends Error {}

/**
 * The same PDF with `title` and `author` in its document information. Only the classic
 * cross-reference table that Chromium writes is understood; anything else is refused unchanged.
 */
export function withDocumentInfo(
  pdf: Uint8Array,
  info: { title: string; author: string; at?: Date },
): Uint8Array {
  // The trailer and startxref sit in the last kilobyte of a file that ends with %%EOF.
  const tail = Buffer.from(pdf.subarray(Math.max(0, pdf.length - 1024))).toString('latin1');
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref/.exec(tail);
  const size = trailer && /\/Size\s+(\d+)/.exec(trailer[1]!);
  const root = trailer && /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer[1]!);
  if (!startxref || !size || !root) throw new PdfNotUnderstood('no classic trailer');

  const objectNumber = Number(size[1]);
  const at = info.at ?? new Date();
  const lead = pdf[pdf.length - 1] === 0x0a ? '' : '\n';
  const object =
    `${objectNumber} 0 obj\n` +
    `<< /Title ${pdfText(info.title)} /Author ${pdfText(info.author)} ` +
    `/Creator (Session Vault) /Producer (Session Vault with Chromium) ` +
    `/CreationDate ${pdfDate(at)} /ModDate ${pdfDate(at)} >>\nendobj\n`;
  const objectOffset = pdf.length + lead.length;
  const xrefOffset = objectOffset + Buffer.byteLength(object, 'latin1');
  const update =
    lead +
    object +
    `xref\n${objectNumber} 1\n${String(objectOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${objectNumber + 1} /Root ${root[1]} /Info ${objectNumber} 0 R /Prev ${startxref[1]} >>\n` +
    `startxref\n${xrefOffset}\n%%EOF\n`;
  const out = new Uint8Array(pdf.length + Buffer.byteLength(update, 'latin1'));
  out.set(pdf, 0);
  out.set(Buffer.from(update, 'latin1'), pdf.length);
  return out;
}
