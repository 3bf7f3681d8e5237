// What a printed consent carries beyond its body: the document's title and author (the PDF's Title
// and the records system's index), and on every page the client's name, the consent's id and
// "page x of y", so a loose page can be placed. Chromium draws the page lines itself from @page
// margin boxes, the same in window.print(), Electron's printToPDF and Playwright's page.pdf.
import { useEffect } from 'react';

export interface PrintedPages {
  title: string;
  author: string;
  /** Left of every page's foot: "Alex Example · consent 1f3c…". */
  footer: string;
}

/** A CSS string literal: the name is the client's own text, so nothing in it may close the string. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r\f]/g, ' ')}"`;
}

export function pageRules(pages: PrintedPages): string {
  const box = 'font: 9pt system-ui, sans-serif; color: #333333;';
  return `@page {
  margin: 2cm 2cm 2.2cm;
  @bottom-left { content: ${cssString(pages.footer)}; ${box} }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); ${box} }
}`;
}

/**
 * While a consent is on screen: its title, its author and its page lines. The sheet is built
 * through the CSSOM, which the page's style-src 'self' allows (an inline <style> it would block).
 */
export function usePrintedPages(pages: PrintedPages | null): void {
  const title = pages?.title;
  const author = pages?.author;
  const footer = pages?.footer;
  useEffect(() => {
    if (title === undefined || author === undefined || footer === undefined) return;
    const previousTitle = document.title;
    document.title = title;
    const meta = document.createElement('meta');
    meta.name = 'author';
    meta.content = author;
    document.head.append(meta);
    const sheet = new CSSStyleSheet({ media: 'print' });
    sheet.replaceSync(pageRules({ title, author, footer }));
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return () => {
      document.title = previousTitle;
      meta.remove();
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }, [title, author, footer]);
}
