export declare function findElectronBinary(
  root?: string,
): { found: true; path: string } | { found: false; reason: string };
export declare const missingElectronAdvice: string;
