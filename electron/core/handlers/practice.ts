// clients.*, policy.*, consent.* and takeaways.*: the therapist's side of clients and consent.
import { defaultTermsSchema, type DefaultTerms } from '../../../shared/api';
import { VaultError } from '../../../shared/errors';
import { ConsentStore, DEFAULT_POLICY_TEXT } from '../consent/consent-store';
import type { Handlers } from '../dispatch';
import { recordingSummaries } from '../playback/recording-summaries';
import type { SettingsStore } from '../vault/settings-store';
import type { Actor } from '../../../shared/consent';
import type { CoreContext } from './context';

const FACTORY_DEFAULTS: DefaultTerms = {
  retentionDays: 30,
  termination: { action: 'keep-for-review', days: 30 },
};

/** The practice's default terms, kept in settings (nothing personal in them). */
function readDefaults(settings: SettingsStore): DefaultTerms {
  const value = settings.get('defaultTerms');
  if (value === null) return FACTORY_DEFAULTS;
  const parsed = defaultTermsSchema.safeParse(JSON.parse(value));
  return parsed.success ? parsed.data : FACTORY_DEFAULTS;
}

export function practiceHandlers(context: CoreContext) {
  const { lifecycle, consent, now } = context;

  const detail = (clientId: string, actor: Actor) => {
    context.active();
    return consent.detail(clientId, (clientKey) =>
      recordingSummaries(lifecycle, consent, clientId, clientKey, actor, now()),
    );
  };

  const policy = () => {
    const { vault, masterKey } = lifecycle.unlocked();
    const store = new ConsentStore(vault.db, vault.vaultId, now);
    const policyHash = store.currentPolicyHash() ?? store.setPolicy(masterKey, DEFAULT_POLICY_TEXT);
    return {
      text: store.policyText(masterKey, policyHash),
      policyHash,
      versions: store.policyVersions(),
      defaults: readDefaults(vault.settings),
    };
  };

  return {
    'clients.list': () => {
      context.active();
      return { clients: consent.list() };
    },
    'clients.add': (request) => {
      context.active();
      return consent.add(request.displayName, request.otherParticipants);
    },
    'clients.rename': (request) => {
      context.active();
      return consent.rename(request.clientId, request.displayName);
    },
    'clients.archive': (request) => {
      context.active();
      return consent.archive(request.clientId, request.archived);
    },
    'clients.detail': (request, actor) => detail(request.clientId, actor),
    'policy.get': () => {
      context.active();
      return policy();
    },
    'policy.version': (request) => {
      context.active();
      const { vault, masterKey } = lifecycle.unlocked();
      const store = new ConsentStore(vault.db, vault.vaultId, now);
      return {
        policyHash: request.policyHash,
        text: store.policyText(masterKey, request.policyHash),
      };
    },
    'policy.set': (request) => {
      context.active();
      const { vault, masterKey, info } = lifecycle.unlocked();
      const store = new ConsentStore(vault.db, vault.vaultId, now);
      vault.db.transaction(() => {
        const policyHash = store.setPolicy(masterKey, request.text);
        vault.audit.append({
          actorRole: info.role,
          action: 'policy.change',
          subject: policyHash.slice(0, 16),
          outcome: 'ok',
        });
      })();
      return policy();
    },
    'policy.setDefaults': (request) => {
      context.active();
      const { vault, info } = lifecycle.unlocked();
      vault.db.transaction(() => {
        vault.audit.append({
          actorRole: info.role,
          action: 'settings.change',
          subject: 'defaultTerms',
          outcome: 'ok',
        });
        vault.settings.set('defaultTerms', JSON.stringify(request.defaults));
      })();
      return policy();
    },
    'consent.sign': async (request, actor) => {
      context.active();
      policy();
      await consent.sign(request.clientId, request.terms, request.reviewCredential);
      context.wizardDrafts.forget(request.clientId);
      return detail(request.clientId, actor);
    },
    // Not activity: the page sends its draft on its own, and that must not hold the idle lock off.
    'consent.keepDraft': (request) => {
      lifecycle.lockIfIdle(context.recorder.isRecording);
      context.wizardDrafts.keep(request.draft);
      return {};
    },
    'consent.keptDraft': () => {
      lifecycle.lockIfIdle(context.recorder.isRecording);
      return context.wizardDrafts.read();
    },
    'consent.previewDeadlines': (request) => {
      context.active();
      return { moved: consent.previewDeadlines(request.clientId, request.terms) };
    },
    'consent.savePdf': async (request) => {
      context.active();
      if (!context.consentPdf)
        throw new VaultError('NOT_ALLOWED', 'Use Print, and choose Save as PDF there.');
      // The version must exist: a name is never offered for a consent that is not on file.
      consent.version(request.clientId, request.version);
      const name = consent.nameOf(request.clientId) ?? 'client';
      const safe = name.replace(/[^\p{L}\p{N} .'-]+/gu, ' ').trim() || 'client';
      // The same title as the printed page, and the practice as its author, for a records system.
      const path = await context.consentPdf.save(
        `Consent - ${safe} - version ${request.version}.pdf`,
        {
          title: `Consent — ${name} — version ${request.version}`,
          author: context.lifecycle.practiceDetails().practiceName,
        },
      );
      return { saved: path !== null };
    },
    'consent.version': (request) => {
      context.active();
      return consent.version(request.clientId, request.version);
    },
    'consent.revoke': (request, actor) => {
      context.active();
      return consent.revoke(request.clientId, actor);
    },
    'consent.endTherapy': (request) => {
      context.active();
      return consent.endTherapy(request.clientId);
    },
    'consent.recordDecision': (request, actor) => {
      context.active();
      const { vault, info } = lifecycle.unlocked();
      consent.withClientKey(request.clientId, (clientKey) =>
        vault.db.transaction(() => {
          vault.audit.append({
            actorRole: info.role,
            action: 'consent.decision',
            subject: request.clientId,
            outcome: 'ok',
            reason: request.decision.outcome,
          });
          vault.decisions.add(request.clientId, clientKey, request.decision);
        })(),
      );
      return detail(request.clientId, actor);
    },
    'takeaways.add': (request, actor) => {
      context.active();
      const { vault, info } = lifecycle.unlocked();
      if (
        request.recordingId !== null &&
        vault.recordings.get(request.recordingId).clientId !== request.clientId
      )
        throw new VaultError('NOT_FOUND');
      consent.withClientKey(request.clientId, (clientKey) =>
        vault.db.transaction(() => {
          vault.audit.append({
            actorRole: info.role,
            action: 'takeaway.add',
            subject: request.clientId,
            outcome: 'ok',
          });
          vault.clients.addTakeaway(request.clientId, clientKey, request.recordingId, request.text);
        })(),
      );
      return detail(request.clientId, actor);
    },
  } satisfies Partial<Handlers>;
}
