// A one-hour recording through the real RecordingStore: append latency (each chunk its own
// transaction, synchronous=FULL), chunk read throughput against raw AEAD, file growth against
// payload, and access-log append latency, at SQLite's default page size (the kernel as it is)
// and, for the page-size study, at 8, 16, 32 and 64 KiB pages.
import type { AuditEvent } from '../../electron/core/audit/audit-format';
import { VAULT_PAGE_SIZE } from '../../electron/core/platform/db';
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { open } from '../../electron/core/platform/crypto';
import { chunkAssociatedData } from '../../electron/core/recording/chunk-format';
import { LIGHT_KDF, createVault } from './fixture';
import { type BenchGroup, type Figure, log, median, now, percentile, prng, round } from './harness';

export const PAGE_SIZES = [4096, 8192, 16384, 32768, 65536] as const;
const DEFAULT_PAGE_SIZE = VAULT_PAGE_SIZE;
/** 32 kb/s Opus: about 4000 bytes a second. */
const CHUNK_BYTES = 4000;

export interface PageSizeRun {
  pageSize: number;
  chunks: number;
  appendMs: number[];
  emptyBytes: number;
  recordedBytes: number;
  payloadBytes: number;
  storagePct: number;
  vbrStoragePct: number;
  auditMs: number[];
  openMbS: number | null;
  rawOpenMbS: number | null;
}

function chunkPayloads(count: number, size: (seq: number) => number): Uint8Array[] {
  // Random bytes: sealed audio is incompressible anyway, and SQLite does not compress.
  return Array.from({ length: count }, (_, seq) => new Uint8Array(nodeRandomBytes(size(seq))));
}

async function runAtPageSize(
  pageSize: number,
  options: { chunks: number; auditAppends: number; openPasses: number },
): Promise<PageSizeRun> {
  const vault = await createVault({
    kdf: LIGHT_KDF,
    // The default page size is the kernel unchanged: no pragma is added.
    pageSize: pageSize === DEFAULT_PAGE_SIZE ? null : pageSize,
    name: `page${pageSize}`,
    // This study is of the chunks table (recordings made before 0070 are read from it).
    newRecordingStorage: 'sqlite',
  });
  try {
    if (vault.pageSize !== pageSize) throw new Error(`vault page size is ${vault.pageSize}`);
    const emptyBytes = vault.settledBytes();
    const { vault: opened, masterKey } = vault.lifecycle.unlocked();
    const { recordings, clients } = opened;
    const keys = new Map<string, Uint8Array>();

    const record = (recordingId: string, payloads: Uint8Array[]): number[] => {
      const { clientId, clientKey } = clients.create(masterKey, {
        displayName: `Client ${recordingId}`,
        participants: [],
      });
      const recordingKey = clients.newRecordingKey(recordingId, clientKey);
      recordings.create({ recordingId, clientId, destroyAfter: null }, recordingKey, {
        mimeType: 'audio/webm;codecs=opus',
        consentId: null,
        consentVersion: null,
      });
      const times: number[] = [];
      payloads.forEach((payload, seq) => {
        const start = now();
        recordings.append(recordingId, recordingKey, {
          seq,
          startMs: seq * 1000,
          durationMs: 1000,
          payload,
        });
        times.push(now() - start);
      });
      recordings.finalise(recordingId, recordingKey);
      keys.set(recordingId, recordingKey);
      return times;
    };
    const sum = (payloads: Uint8Array[]) => payloads.reduce((n, p) => n + p.byteLength, 0);

    // Constant bitrate: 4000 bytes every second.
    const cbr = chunkPayloads(options.chunks, () => CHUNK_BYTES);
    const appendMs = record('rec-cbr', cbr);
    const recordedBytes = vault.settledBytes();
    const payloadBytes = sum(cbr);
    const storagePct = ((recordedBytes - emptyBytes) / payloadBytes - 1) * 100;

    // Variable bitrate, as Opus really is: 3200..4800 bytes a second, 4000 on average.
    const random = prng(pageSize);
    const vbr = chunkPayloads(options.chunks, () => 3200 + Math.floor(random() * 1601));
    record('rec-vbr', vbr);
    const vbrBytes = vault.settledBytes();
    const vbrStoragePct = ((vbrBytes - recordedBytes) / sum(vbr) - 1) * 100;

    // Reading back: RecordingStore.openChunk against crypto.open on the same sealed bytes.
    let openMbS: number | null = null;
    let rawOpenMbS: number | null = null;
    if (options.openPasses > 0) {
      const recordingKey = keys.get('rec-cbr')!;
      const rows = opened.db
        .prepare(
          `SELECT c.seq, c.start_ms, c.nonce, c.ciphertext FROM chunks c
           JOIN recordings r USING (rec_no)
           WHERE r.recording_id = 'rec-cbr' AND c.duration_ms > 0 ORDER BY c.chunk_id`,
        )
        .all() as { seq: number; start_ms: number; nonce: Buffer; ciphertext: Buffer }[];
      const inMemory = rows.map((row) => ({
        sealed: { nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.ciphertext) },
        ad: chunkAssociatedData(opened.vaultId, 'rec-cbr', row.seq, row.start_ms, false),
      }));
      const vaultRates: number[] = [];
      const rawRates: number[] = [];
      for (let pass = 0; pass < options.openPasses; pass += 1) {
        let bytes = 0;
        let start = now();
        for (let seq = 0; seq < rows.length; seq += 1)
          bytes += recordings.openChunk('rec-cbr', recordingKey, seq).byteLength;
        vaultRates.push(bytes / 1e6 / ((now() - start) / 1000));
        bytes = 0;
        start = now();
        for (const { sealed, ad } of inMemory) {
          const payload = open(recordingKey, sealed, ad);
          if (!payload) throw new Error('raw open failed');
          bytes += payload.byteLength;
        }
        rawRates.push(bytes / 1e6 / ((now() - start) / 1000));
      }
      openMbS = median(vaultRates);
      rawOpenMbS = median(rawRates);
    }

    // Access-log appends, each its own autocommit, as VaultService.log does them.
    const auditMs: number[] = [];
    for (let i = 0; i < options.auditAppends; i += 1) {
      const start = now();
      opened.audit.append({
        actorRole: 'therapist',
        action: 'recording.play' as AuditEvent['action'],
        subject: 'rec-cbr',
        outcome: 'ok',
      });
      auditMs.push(now() - start);
    }
    return {
      pageSize,
      chunks: options.chunks,
      appendMs,
      emptyBytes,
      recordedBytes,
      payloadBytes,
      storagePct,
      vbrStoragePct,
      auditMs,
      openMbS,
      rawOpenMbS,
    };
  } finally {
    vault.cleanup();
  }
}

const MAIN_IDS = [
  'chunk_append_p99_ms',
  'chunk_open_mb_s',
  'storage_overhead_pct',
  'audit_append_p99_ms',
];
const sweepIds = (pageSize: number) => [
  `page_size_${pageSize}_storage_overhead_pct`,
  `page_size_${pageSize}_storage_overhead_vbr_pct`,
  `page_size_${pageSize}_chunk_append_p99_ms`,
  `page_size_${pageSize}_audit_append_p99_ms`,
];

const ms = (values: number[], p: number) => percentile(values, p).toFixed(2);

export const recordingGroup: BenchGroup = {
  name: 'recording, storage and page size',
  ids: [...MAIN_IDS, ...PAGE_SIZES.flatMap(sweepIds)],
  async run(options, wanted) {
    const sizes = PAGE_SIZES.filter(
      (size) =>
        sweepIds(size).some(wanted) || (size === DEFAULT_PAGE_SIZE && MAIN_IDS.some(wanted)),
    );
    const runs: PageSizeRun[] = [];
    for (const pageSize of sizes) {
      log(`  page_size ${pageSize}: recording...`);
      const run = await runAtPageSize(pageSize, {
        chunks: options.quick ? 300 : 3600,
        auditAppends: options.quick ? 200 : 1000,
        openPasses: options.quick ? 2 : 5,
      });
      log(
        `  page_size ${pageSize}: append p50 ${ms(run.appendMs, 50)} p99 ${ms(run.appendMs, 99)} max ${ms(run.appendMs, 100)} ms; ` +
          `storage ${run.storagePct.toFixed(2)}% (vbr ${run.vbrStoragePct.toFixed(2)}%); ` +
          `empty vault ${run.emptyBytes} B; audit p50 ${ms(run.auditMs, 50)} p99 ${ms(run.auditMs, 99)} ms`,
      );
      runs.push(run);
    }

    const figures: Figure[] = [];
    const base = runs.find((run) => run.pageSize === DEFAULT_PAGE_SIZE);
    if (base) {
      figures.push(
        {
          id: 'chunk_append_p99_ms',
          value: round(percentile(base.appendMs, 99)),
          unit: 'ms',
          baseline: null,
          note: `p50 ${ms(base.appendMs, 50)} ms, max ${ms(base.appendMs, 100)} ms over ${base.chunks} appends of ${CHUNK_BYTES} B`,
        },
        {
          id: 'chunk_open_mb_s',
          value: round(base.openMbS!),
          unit: 'MB/s',
          baseline: round(base.rawOpenMbS!),
          note: `vault overhead ${((base.rawOpenMbS! / base.openMbS! - 1) * 100).toFixed(0)}% more time than raw crypto.open`,
        },
        {
          id: 'storage_overhead_pct',
          value: round(base.storagePct),
          unit: '%',
          baseline: null,
          note: `${base.recordedBytes - base.emptyBytes} B for ${base.payloadBytes} B payload; empty vault ${base.emptyBytes} B; page_size ${base.pageSize}`,
        },
        {
          id: 'audit_append_p99_ms',
          value: round(percentile(base.auditMs, 99)),
          unit: 'ms',
          baseline: null,
          note: `p50 ${ms(base.auditMs, 50)} ms over ${base.auditMs.length} appends`,
        },
      );
    }
    for (const run of runs) {
      const [storage, vbr, append, audit] = sweepIds(run.pageSize);
      figures.push(
        {
          id: storage!,
          value: round(run.storagePct),
          unit: '%',
          baseline: null,
          note: `empty vault ${run.emptyBytes} B`,
        },
        { id: vbr!, value: round(run.vbrStoragePct), unit: '%', baseline: null },
        {
          id: append!,
          value: round(percentile(run.appendMs, 99)),
          unit: 'ms',
          baseline: null,
          note: `p50 ${ms(run.appendMs, 50)} ms`,
        },
        {
          id: audit!,
          value: round(percentile(run.auditMs, 99)),
          unit: 'ms',
          baseline: null,
          note: `p50 ${ms(run.auditMs, 50)} ms`,
        },
      );
    }
    return figures;
  },
};
