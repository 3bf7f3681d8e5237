// The Electron fuses flipped into every packaged binary (build/fuses.mjs). Kept apart so a unit
// test can assert each one. strictlyRequireAllFuses: a fuse added by a future Electron fails the
// build until someone decides its value here.
import { FuseV1Options, FuseVersion } from '@electron/fuses';

export const fuseConfig = Object.freeze({
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Together these make the code that holds the keys the code that was signed.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  // Electron's default; listed because strictlyRequireAllFuses asks for every fuse.
  [FuseV1Options.WasmTrapHandlers]: true,
});
