// electron-builder afterPack hook: flips the fuses of build/fuse-config.mjs into the packed
// Electron binary, before electron-builder signs it.
import path from 'node:path';
import { flipFuses } from '@electron/fuses';
import { fuseConfig } from './fuse-config.mjs';

/** @param {import('app-builder-lib').AfterPackContext} context */
export default async function afterPack(context) {
  const platform = context.electronPlatformName;
  const { appOutDir, packager } = context;
  const isMac = platform === 'darwin' || platform === 'mas';
  const electronBinary = isMac
    ? path.join(appOutDir, `${packager.appInfo.productFilename}.app`)
    : path.join(
        appOutDir,
        platform === 'win32' ? `${packager.executableName}.exe` : packager.executableName,
      );
  await flipFuses(electronBinary, {
    ...fuseConfig,
    // Flipping a fuse breaks an ad-hoc signature; a real one is applied after this hook.
    resetAdHocDarwinSignature: isMac,
  });
}
