// The name an access-log export is offered under. Main suggests it in the save dialog; tests
// expect the same pattern.

const EXTENSIONS = { csv: 'csv', json: 'json', fhir: 'fhir.ndjson' } as const;

/** access-log-2026-11-26-0930.json: sorts by date, and says what it is. */
export function exportFileName(format: keyof typeof EXTENSIONS, when: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())}` +
    `-${two(when.getHours())}${two(when.getMinutes())}`;
  return `access-log-${stamp}.${EXTENSIONS[format]}`;
}
