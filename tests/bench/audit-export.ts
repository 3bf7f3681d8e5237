// Access-log export and offline verification at a million entries.
//   audit_export_1m_s  audit.exportStart + exportNext pages until done, as main answers them:
//                      each page made by AuditExports and written by ExportFiles to the chosen
//                      file (the JSON bundle); baseline: BLAKE2b over the same bytes.
//   audit_verify_1m_s  the offline verifier on that file: read, the strict parser, every content hash,
//                      chain hash, checkpoint and the export signature; baseline: BLAKE2b over
//                      the file's bytes.
//   audit_query_first_1m_ms  from audit.query's first call in a session until the complete index
//                      answers: every entry opened into the in-memory index by the worker thread
//                      the app uses (out/main/audit-index-worker.js), then the newest page.
//   audit_query_first_page_ms  the first call's own answer (the newest page, while the index
//                      has only begun); baseline: the same page read straight from the log.
//   audit_query_max_block_ms  the longest the event loop stood still meanwhile (the first call's
//                      own share included): the gap between turns of a setImmediate probe;
//                      baseline: the same probe over an idle second of the same run.
//   audit_export_fhir_1m_s  the same export as FHIR AuditEvents (NDJSON), written by main.
//   audit_export_max_page_ms  the longest single audit.exportNext of the JSON export, making the
//                      page and writing it (main is blocked for each page).
//   audit_query_1m_ms  a filtered query (action + outcome + subject) once the index is built, as
//                      the log screen asks on every filter change; median of 9.
// The log is filled with real AuditLog.append calls (a signed checkpoint every 1000), since the
// export opens every entry and a copied entry would not open under another seq.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CHECKPOINT_EVERY } from '../../electron/core/audit/audit-log';
import type { AuditEvent } from '../../electron/core/audit/audit-format';
import { AuditExports } from '../../electron/core/audit/audit-exports';
import { AuditQueries } from '../../electron/core/audit/audit-queries';
import { AuditorService } from '../../electron/core/audit/auditor-service';
import { hash } from '../../electron/core/platform/crypto';
import { ExportFiles } from '../../electron/core/audit/export-files';
import { parseBundleBytes } from '../../cli/bundle-json';
import { verifyBundle } from '../../cli/verify';
import { LIGHT_KDF, createVault } from './fixture';
import { type BenchGroup, type Figure, log, median, now, round, tempFolder } from './harness';

const ACTIONS = ['recording.play', 'recording.start', 'consent.sign', 'session.unlock'];

/** A full garbage collection now (V8's gc(), exposed for this process). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Turns of the event loop, timed: the longest gap is the longest anything held it. */
function blockProbe(): { stop(): { max: number; turns: number } } {
  let last = now();
  let max = 0;
  let turns = 0;
  let running = true;
  const turn = () => {
    const at = now();
    max = Math.max(max, at - last);
    last = at;
    turns += 1;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  return {
    stop() {
      turn();
      running = false;
      return { max, turns };
    },
  };
}

export const auditExportGroup: BenchGroup = {
  name: 'audit export',
  ids: [
    'audit_export_1m_s',
    'audit_export_max_page_ms',
    'audit_verify_1m_s',
    'audit_query_first_1m_ms',
    'audit_query_first_page_ms',
    'audit_query_max_block_ms',
    'audit_export_fhir_1m_s',
    'audit_query_1m_ms',
  ],
  async run(options, wanted) {
    const total = options.quick ? 100_000 : 1_000_000;
    const vault = await createVault({ kdf: LIGHT_KDF, name: 'audit-export' });
    const folder = tempFolder('audit-bundle');
    try {
      const { lifecycle } = vault;
      const { vault: opened, auditSecrets } = lifecycle.unlocked();
      const fillStart = now();
      const batch = opened.db.transaction((count: number) => {
        for (let i = 0; i < count; i += 1) {
          const seq = opened.audit.append({
            actorRole: 'therapist',
            action: ACTIONS[i % ACTIONS.length]! as AuditEvent['action'],
            subject: `rec-${(i % 97).toString(16)}`,
            outcome: 'ok',
          });
          if (seq % CHECKPOINT_EVERY === 0) opened.audit.checkpoint(auditSecrets);
        }
      });
      for (let have = opened.audit.count(); have < total; have = opened.audit.count())
        batch(Math.min(50_000, total - have));
      vault.settledBytes();
      log(
        `  ${opened.audit.count()} entries appended in ${((now() - fillStart) / 1000).toFixed(1)} s`,
      );

      const figures: Figure[] = [];
      const auditors = new AuditorService(lifecycle, Date.now);
      if (
        wanted('audit_query_first_1m_ms') ||
        wanted('audit_query_first_page_ms') ||
        wanted('audit_query_max_block_ms') ||
        wanted('audit_query_1m_ms')
      ) {
        // The index is read as the app reads it: by the worker electron-vite builds (npm run build).
        const indexWorker = join(process.cwd(), 'out/main/audit-index-worker.js');
        if (!existsSync(indexWorker)) throw new Error('run npm run build first: no index worker');
        const queries = new AuditQueries(lifecycle, auditors, indexWorker);
        // The fill's garbage goes first, so that a pause for it is not counted as the build's.
        collectGarbage();
        const idle = blockProbe();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const idleBlock = idle.stop();
        const plainStart = now();
        opened.audit.read(auditSecrets, { limit: 100 });
        const plainPageMs = now() - plainStart;
        const probe = blockProbe();
        const firstStart = now();
        const early = queries.query({ limit: 100 });
        const earlyMs = now() - firstStart;
        await queries.whenComplete();
        const newest = queries.query({ limit: 100 });
        const firstMs = now() - firstStart;
        const block = probe.stop();
        if (!early.indexing || newest.indexing)
          throw new Error('the index was not built while main answered');
        const filter = { action: 'recording.start', outcome: 'ok', subject: 'rec-3' } as const;
        const runs: number[] = [];
        let matched = 0;
        for (let run = 0; run < 9; run += 1) {
          const start = now();
          matched = queries.query({ ...filter, limit: 100 }).matched;
          runs.push(now() - start);
        }
        if (wanted('audit_query_first_1m_ms'))
          figures.push({
            id: 'audit_query_first_1m_ms',
            value: round(firstMs),
            unit: 'ms',
            baseline: null,
            note: `opens ${newest.total} entries into the index in a worker thread, then the newest 100; first answer (${early.indexing.done} indexed) in ${earlyMs.toFixed(1)} ms`,
          });
        if (wanted('audit_query_first_page_ms'))
          figures.push({
            id: 'audit_query_first_page_ms',
            value: round(earlyMs),
            unit: 'ms',
            baseline: round(plainPageMs),
            note: `the first audit.query of a session (newest 100, ${early.indexing.done} of ${early.indexing.total} indexed); baseline the same page read from the log`,
          });
        if (wanted('audit_query_max_block_ms'))
          figures.push({
            id: 'audit_query_max_block_ms',
            value: round(block.max),
            unit: 'ms',
            baseline: round(idleBlock.max),
            note: `longest event-loop turn over ${block.turns} turns while the index was built`,
          });
        if (wanted('audit_query_1m_ms'))
          figures.push({
            id: 'audit_query_1m_ms',
            value: round(median(runs)),
            unit: 'ms',
            baseline: null,
            note: `action + outcome + subject over ${newest.total} entries, ${matched} matched; median of 9`,
          });
      }
      if (wanted('audit_export_fhir_1m_s')) {
        const fhirFile = join(folder.path, 'log.fhir.ndjson');
        const fhirExports = new AuditExports(lifecycle, auditors, Date.now);
        const fhirFiles = new ExportFiles(lifecycle);
        const fhirStart = now();
        const started = fhirExports.start('fhir');
        fhirFiles.open(started.exportId, fhirFile);
        let fhirPages = 0;
        for (;;) {
          const page = await fhirExports.next(started.exportId);
          fhirFiles.append(started.exportId, page.text);
          fhirPages += 1;
          if (page.done) {
            fhirFiles.finish(started.exportId);
            break;
          }
        }
        const fhirSeconds = (now() - fhirStart) / 1000;
        const fhirBytes = readFileSync(fhirFile);
        const hashStart = now();
        const step = 1 << 20;
        const slices: Uint8Array[] = [];
        for (let at = 0; at < fhirBytes.length; at += step)
          slices.push(fhirBytes.subarray(at, at + step));
        hash(...slices);
        figures.push({
          id: 'audit_export_fhir_1m_s',
          value: round(fhirSeconds),
          unit: 's',
          baseline: round((now() - hashStart) / 1000),
          note: `${started.total} AuditEvents, ${fhirPages} pages, ${(fhirBytes.length / 1e6).toFixed(0)} MB of NDJSON; baseline BLAKE2b of those bytes`,
        });
      }
      if (
        !wanted('audit_export_1m_s') &&
        !wanted('audit_export_max_page_ms') &&
        !wanted('audit_verify_1m_s')
      )
        return figures;

      const file = join(folder.path, 'bundle.json');
      const exports = new AuditExports(lifecycle, auditors, Date.now);
      const files = new ExportFiles(lifecycle);
      const exportStart = now();
      const { exportId, total: entries } = exports.start('json');
      files.open(exportId, file);
      let pages = 0;
      let slowestPage = 0;
      for (;;) {
        const pageStart = now();
        const page = await exports.next(exportId);
        files.append(exportId, page.text);
        if (page.done) files.finish(exportId);
        slowestPage = Math.max(slowestPage, now() - pageStart);
        pages += 1;
        if (page.done) break;
      }
      const exportSeconds = (now() - exportStart) / 1000;
      const bytes = readFileSync(file);
      const hashStart = now();
      const chunk = 1 << 20;
      const parts: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += chunk) parts.push(bytes.subarray(at, at + chunk));
      hash(...parts);
      const hashSeconds = (now() - hashStart) / 1000;
      const mb = (statSync(file).size / 1e6).toFixed(0);

      if (wanted('audit_export_1m_s'))
        figures.push({
          id: 'audit_export_1m_s',
          value: round(exportSeconds),
          unit: 's',
          baseline: round(hashSeconds),
          note: `${entries} entries, ${pages} pages, ${mb} MB of JSON; baseline BLAKE2b of those bytes`,
        });
      if (wanted('audit_export_max_page_ms'))
        figures.push({
          id: 'audit_export_max_page_ms',
          value: round(slowestPage),
          unit: 'ms',
          baseline: null,
          note: `slowest of ${pages} exportNext pages (JSON), each one blocking main`,
        });
      if (wanted('audit_verify_1m_s')) {
        const verifyStart = now();
        // As the CLI reads it: the strict profile's parser, then every entry's bytes checked.
        const parsed = parseBundleBytes(bytes);
        const report = await verifyBundle(parsed.value, parsed.entryTexts);
        const verifySeconds = (now() - verifyStart) / 1000;
        if (!report.ok) throw new Error(`the bundle did not verify: ${report.problem}`);
        figures.push({
          id: 'audit_verify_1m_s',
          value: round(verifySeconds),
          unit: 's',
          baseline: round(hashSeconds),
          note: `read + parse + verify ${report.entries} entries, ${report.checkpoints} checkpoints; baseline BLAKE2b of the file`,
        });
      }
      return figures;
    } finally {
      folder.cleanup();
      vault.cleanup();
    }
  },
};
