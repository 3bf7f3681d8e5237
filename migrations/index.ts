// Every migration, in order. Forward only; versions step by 10.
import type { Database } from 'better-sqlite3';
import * as m0010 from './0010-init';

export interface Migration {
  version: number;
  up: (db: Database) => void;
}

export const migrations: readonly Migration[] = [
  { version: m0010.version, up: m0010.updateToSchemaVersion10 },
];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0;
