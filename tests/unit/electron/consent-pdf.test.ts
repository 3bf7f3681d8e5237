// The app's consent PDF: printed by the window's own printToPDF, tagged and with an outline, with
// no header or footer template (the page lines come from the print CSS's @page margin boxes, the
// same as page.pdf in the e2e test), and written where the person chose.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { consentPdfOptions, writeConsentPdf } from '../../../electron/consent-pdf';

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
    await writeConsentPdf(contents, file);
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
