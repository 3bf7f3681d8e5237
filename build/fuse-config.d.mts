import type { FuseV1Config } from '@electron/fuses';

export declare const fuseConfig: Readonly<FuseV1Config>;
