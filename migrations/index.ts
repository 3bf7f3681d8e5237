// Every migration, in order. Forward only; versions step by 10.
import type { Database } from 'better-sqlite3';
import * as m0010 from './0010-init';
import * as m0020 from './0020-clients-recordings';

export interface Migration {
  version: number;
  up: (db: Database) => void;
}

export const migrations: readonly Migration[] = [
  { version: m0010.version, up: m0010.updateToSchemaVersion10 },
  { version: m0020.version, up: m0020.updateToSchemaVersion20 },
];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;
