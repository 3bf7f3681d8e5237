// The decision for every Electron fuse. electron-builder flips them (electronFuses in
// electron-builder.yml, which cannot import this file); tests/unit/electron/electron-packaging.test.ts
// packs a stand-in binary through electron-builder's own code and checks the result against this.
// strictlyRequireAllFuses: a fuse added by a future Electron fails that test until someone
// decides its value here.
import { FuseV1Options, FuseVersion } from '@electron/fuses';

export const fuseConfig = Object.freeze({
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Together these make the code that holds the keys the code that was signed, on macOS and
  // Windows: Electron checks ASAR integrity only there, not on Linux.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  // Electron's default, which electronFuses cannot set; listed because strictlyRequireAllFuses
  // asks for every fuse.
  [FuseV1Options.WasmTrapHandlers]: true,
});
