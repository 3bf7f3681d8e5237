// Hands a text the app built to the browser as a download. Only for the access log: it is not
// audio, so a short-lived blob URL is fine here.

/** access-log-2026-11-26-0930.json: sorts by date, and says what it is. */
export function exportFileName(format: 'csv' | 'json', when: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())}` +
    `-${two(when.getHours())}${two(when.getMinutes())}`;
  return `access-log-${stamp}.${format}`;
}

export function downloadText(parts: string[], fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download holds its own reference to the bytes; the URL is not needed past the click.
    URL.revokeObjectURL(url);
  }
}
