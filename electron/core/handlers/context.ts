// What the handler groups share: the vault's life, the services built on it, and the clock.
import type { IntegrityStatus, LastLock } from '../../../shared/api';
import type { ConsentService } from '../consent/consent-service';
import type { WizardDraftKeeper } from '../consent/wizard-draft-keeper';
import type { Player } from '../playback/player';
import type { AuditorService } from '../audit/auditor-service';
import type { MicrophoneChecks } from '../recording/microphone-check';
import type { Recorder } from '../recording/recorder';
import type { ReviewService } from '../review/review-service';
import type { Destroyer } from '../retention/destroyer';
import type { AnchorKeeper } from '../vault/anchor-keeper';
import type { VaultService } from '../vault/vault-service';

/** Main's save dialog, then the window's printToPDF: the path written, or null if cancelled. */
export interface ConsentPdfSaver {
  /** Asks where, prints there; `info` goes into the PDF's document information. */
  save(suggestedName: string, info: { title: string; author: string }): Promise<string | null>;
}

export interface CoreContext {
  lifecycle: VaultService;
  consent: ConsentService;
  /** The consent wizard's unsigned draft, kept across an idle lock (memory only, sealed). */
  wizardDrafts: WizardDraftKeeper;
  recorder: Recorder;
  /** Listing and testing microphones through the capture window. */
  microphones: MicrophoneChecks;
  player: Player;
  destroyer: Destroyer;
  review: ReviewService;
  auditors: AuditorService;
  anchors: AnchorKeeper;
  now: () => number;
  /** Which laptop this is, for the recovery sheet. */
  deviceName: string;
  /** The built worker script for the log's long reads (index, verification); none in unit tests. */
  auditWorker?: string | URL;
  /** Saves the consent on screen as a PDF file; null where there is no window (tests, the host). */
  consentPdf: ConsentPdfSaver | null;
  /** The background whole-file check's latest answer. */
  fileCheck(): IntegrityStatus;
  /** Why the vault last locked, for the lock screen. */
  lastLock(): LastLock | null;
  /** The person is here: checks the idle lock first, then pushes it back. */
  active(): void;
}
