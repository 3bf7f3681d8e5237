// The app's consent PDF: printed by the window's own printToPDF, tagged and with an outline, with
// no header or footer template (the page lines come from the print CSS's @page margin boxes, the
// same as page.pdf in the e2e test), and written where the person chose.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { consentPdfOptions, writeConsentPdf } from '../../../electron/consent-pdf';
import { PdfNotUnderstood, withDocumentInfo } from '../../../electron/pdf-document-info';

test('printToPDF is asked for a tagged PDF with an outline, and its bytes are written', async () => {
  const asked: unknown[] = [];
  const contents = {
    printToPDF: async (options: unknown) => {
      asked.push(options);
      return Buffer.from('%PDF-1.4 consent');
    },
  };
  const folder = mkdtempSync(join(tmpdir(), 'sv-consent-pdf-'));
  try {
    const file = join(folder, 'Consent - Alex Example - version 1.pdf');
    await writeConsentPdf(contents, file, {
      title: 'Consent — Alex Example — version 1',
      author: 'Riverside',
    });
    expect(asked).toEqual([consentPdfOptions]);
    expect(consentPdfOptions).toMatchObject({
      generateTaggedPDF: true,
      generateDocumentOutline: true,
      displayHeaderFooter: false,
      preferCSSPageSize: true,
    });
    expect(readFileSync(file, 'utf8')).toBe('%PDF-1.4 consent');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

/** A one-page PDF with a classic cross-reference table, offsets computed as a writer would. */
function minimalPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
    '<< /Title (Old title) /Producer (a test) >>',
  ];
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(text, 'latin1'));
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(text, 'latin1');
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

test('the practice becomes the PDF’s author, any name written exactly, the original bytes kept', () => {
  const original = minimalPdf();
  const folder = mkdtempSync(join(tmpdir(), 'sv-pdf-info-'));
  try {
    const file = join(folder, 'consent.pdf');
    const updated = withDocumentInfo(original, {
      title: 'Consent — Zoë Ł — version 2',
      author: 'Praxis Müller, Köln',
    });
    expect(Buffer.from(updated.subarray(0, original.length)).equals(Buffer.from(original))).toBe(
      true,
    );
    writeFileSync(file, updated);
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info.status, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^Title:\s+Consent — Zoë Ł — version 2$/m);
    expect(info.stdout).toMatch(/^Author:\s+Praxis Müller, Köln$/m);
    expect(info.stdout).toMatch(/^Pages:\s+1$/m);
    expect(info.stderr).toBe('');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a PDF without a classic trailer is refused, not half-changed', () => {
  expect(() =>
    withDocumentInfo(new Uint8Array(Buffer.from('%PDF-1.7 no trailer here')), {
      title: 't',
      author: 'a',
    }),
  ).toThrow(PdfNotUnderstood);
});
