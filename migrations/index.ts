// Every migration, in order. Forward only; versions step by 10.
import type { Database } from 'better-sqlite3';
import * as m0010 from './0010-init';
import * as m0020 from './0020-clients-recordings';
import * as m0030 from './0030-consent';
import * as m0040 from './0040-integrity';
import * as m0050 from './0050-recording-summary';
import * as m0060 from './0060-voice-notes';
import * as m0070 from './0070-recording-files';
import * as m0080 from './0080-recording-notes';
import * as m0090 from './0090-recording-levels';
import * as m0110 from './0110-state-records';
import * as m0130 from './0130-vault-record';

export interface Migration {
  version: number;
  up: (db: Database) => void;
}

export const migrations: readonly Migration[] = [
  { version: m0010.version, up: m0010.updateToSchemaVersion10 },
  { version: m0020.version, up: m0020.updateToSchemaVersion20 },
  { version: m0030.version, up: m0030.updateToSchemaVersion30 },
  { version: m0040.version, up: m0040.updateToSchemaVersion40 },
  { version: m0050.version, up: m0050.updateToSchemaVersion50 },
  { version: m0060.version, up: m0060.updateToSchemaVersion60 },
  { version: m0070.version, up: m0070.updateToSchemaVersion70 },
  { version: m0080.version, up: m0080.updateToSchemaVersion80 },
  { version: m0090.version, up: m0090.updateToSchemaVersion90 },
  { version: m0110.version, up: m0110.updateToSchemaVersion110 },
  { version: m0130.version, up: m0130.updateToSchemaVersion130 },
];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;
