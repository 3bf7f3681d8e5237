// Saving a signed consent as a PDF file from the window that shows it. Chromium's own print
// pipeline draws it, with the same print CSS as window.print() and the e2e tests' page.pdf: the
// page lines ("Page x of y", the client, the consent's id) come from @page margin boxes, so no
// header or footer template is passed here. Tagged and with an outline, so a screen reader can
// read it and a records system can index it; the title is the page's ("Consent — client — version N")
// and the author the practice, written into the file's document information after printing.
import { writeFile } from 'node:fs/promises';
import type { WebContents } from 'electron';
import { PdfNotUnderstood, withDocumentInfo } from './pdf-document-info';

export const consentPdfOptions = {
  pageSize: 'A4',
  printBackground: false,
  preferCSSPageSize: true,
  displayHeaderFooter: false,
  generateTaggedPDF: true,
  generateDocumentOutline: true,
} as const;

/** Prints what `contents` shows to `filePath`; the caller chose the path in main's save dialog. */
export async function writeConsentPdf(
  contents: Pick<WebContents, 'printToPDF'>,
  filePath: string,
  info: { title: string; author: string },
): Promise<void> {
  const data = new Uint8Array(await contents.printToPDF(consentPdfOptions));
  let withInfo: Uint8Array = data;
  try {
    withInfo = withDocumentInfo(data, info);
  } catch (error) {
    // A PDF this code does not understand is saved as Chromium wrote it, title and all.
    if (!(error instanceof PdfNotUnderstood)) throw error;
  }
  await writeFile(filePath, withInfo, { mode: 0o600 });
}
