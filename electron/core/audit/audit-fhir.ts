// The access log as FHIR R4 AuditEvent resources, one per entry, following IHE's Basic Audit Log
// Patterns (BALP) where they fit, so a practice's FHIR server or log platform can ingest the log of
// every laptop. Shared by main's export (audit-exports.ts) and `session-vault-audit merge`.
// docs/fhir-export.md gives every mapping and why; a change here changes what servers hold.
import type { AuditEntry } from './audit-format';

/** One entry as the mapping needs it (the bundle's entry objects and the index's views alike). */
export type FhirSourceEntry = Pick<
  AuditEntry,
  'seq' | 'at' | 'actorRole' | 'actorId' | 'action' | 'subject' | 'outcome' | 'reason'
>;

interface Coding {
  system: string;
  code: string;
  display?: string;
}

interface Identified {
  type?: string;
  identifier: { system: string; value: string };
}

export interface FhirAuditEvent {
  resourceType: 'AuditEvent';
  id: string;
  type: Coding;
  subtype: Coding[];
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  recorded: string;
  outcome: '0' | '4' | '8';
  outcomeDesc?: string;
  agent: {
    type: { coding: Coding[] };
    role: { coding: Coding[] }[];
    who: Identified;
    requestor: boolean;
  }[];
  source: { site: string; observer: Identified & { display?: string }; type: Coding[] };
  entity?: {
    what?: Identified;
    type: Coding;
    role?: Coding;
    name?: string;
  }[];
}

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const REST_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const REST = 'http://hl7.org/fhir/restful-interaction';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const ROLE_CLASS = 'http://terminology.hl7.org/CodeSystem/v3-RoleClass';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const RESOURCE_TYPE = 'http://hl7.org/fhir/resource-types';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';

/**
 * Session Vault's own names, where no standard code says it: the action as the log writes it, the
 * role of who acted, and the identifier systems of its ids. A private URN namespace, documented
 * in docs/fhir-export.md.
 */
export const SESSION_VAULT_SYSTEM = {
  action: 'urn:session-vault:fhir:audit-action',
  actorRole: 'urn:session-vault:fhir:actor-role',
  actor: 'urn:session-vault:actor',
  vault: 'urn:session-vault:vault',
  recording: 'urn:session-vault:recording',
  client: 'urn:session-vault:client',
  consent: 'urn:session-vault:consent-of-client',
  channel: 'urn:session-vault:channel',
  subject: 'urn:session-vault:subject',
} as const;

type Kind = { type: Coding; subtype?: Coding; action: FhirAuditEvent['action'] };

const rest = (code: string, action: FhirAuditEvent['action']): Kind => ({
  type: { system: REST_TYPE, code: 'rest', display: 'Restful Operation' },
  subtype: { system: REST, code },
  action,
});
const login: Kind = {
  type: { system: DCM, code: '110114', display: 'User Authentication' },
  subtype: { system: DCM, code: '110122', display: 'Login' },
  action: 'E',
};
const logout: Kind = {
  type: { system: DCM, code: '110114', display: 'User Authentication' },
  subtype: { system: DCM, code: '110123', display: 'Logout' },
  action: 'E',
};
const applicationActivity: Kind = {
  type: { system: DCM, code: '110100', display: 'Application Activity' },
  action: 'E',
};

/** What kind of event each action is: a standard type and subtype, and its CRUDE action. */
const KINDS: Record<string, Kind> = {
  'vault.create': {
    ...applicationActivity,
    subtype: { system: DCM, code: '110120', display: 'Application Start' },
  },
  'session.unlock': login,
  'session.recover': login,
  'auditor.unlock': login,
  'review.start': login,
  'review.unlock': login,
  'session.lock': logout,
  'review.end': logout,
  'audit.export': {
    type: { system: DCM, code: '110106', display: 'Export' },
    action: 'R',
  },
  'audit.revealClients': {
    type: { system: DCM, code: '110110', display: 'Patient Record' },
    action: 'R',
  },
  'request.refused': {
    type: { system: DCM, code: '110113', display: 'Security Alert' },
    action: 'E',
  },
  'playback.start': rest('read', 'R'),
  'playback.stop': rest('read', 'R'),
  'recording.start': rest('create', 'C'),
  'client.add': rest('create', 'C'),
  'consent.sign': rest('create', 'C'),
  'takeaway.add': rest('create', 'C'),
  'auditor.add': rest('create', 'C'),
  'capture.started': rest('update', 'U'),
  'capture.chunk': rest('update', 'U'),
  'capture.finished': rest('update', 'U'),
  'recording.pause': rest('update', 'U'),
  'recording.resume': rest('update', 'U'),
  'recording.stop': rest('update', 'U'),
  'recording.interrupted': rest('update', 'U'),
  'recording.mark': rest('update', 'U'),
  'client.rename': rest('update', 'U'),
  'client.archive': rest('update', 'U'),
  'client.unarchive': rest('update', 'U'),
  'consent.revoke': rest('update', 'U'),
  'therapy.end': rest('update', 'U'),
  'settings.change': rest('update', 'U'),
  'policy.change': rest('update', 'U'),
  'review.acknowledge': rest('update', 'U'),
  'review.reset': rest('update', 'U'),
  'recording.removeRange': rest('delete', 'D'),
  'recording.destroy': rest('delete', 'D'),
  'auditor.remove': rest('delete', 'D'),
};

const OUTCOME: Record<string, FhirAuditEvent['outcome']> = { ok: '0', refused: '4', failed: '8' };

/** What the action's subject names, by the action's prefix. */
function entitiesOf(entry: FhirSourceEntry): NonNullable<FhirAuditEvent['entity']> {
  const subject = entry.subject;
  if (subject === null || subject === '') return [];
  const prefix = entry.action.split('.')[0];
  const patient = {
    what: { type: 'Patient', identifier: { system: SESSION_VAULT_SYSTEM.client, value: subject } },
    type: { system: RESOURCE_TYPE, code: 'Patient' },
    role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
  };
  if (prefix === 'recording' || prefix === 'playback' || prefix === 'capture')
    return [
      {
        what: {
          type: 'Media',
          identifier: { system: SESSION_VAULT_SYSTEM.recording, value: subject },
        },
        type: { system: RESOURCE_TYPE, code: 'Media' },
        role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
      },
    ];
  if (entry.action === 'consent.sign' || entry.action === 'consent.revoke')
    return [
      patient,
      {
        what: {
          type: 'Consent',
          identifier: { system: SESSION_VAULT_SYSTEM.consent, value: subject },
        },
        type: { system: RESOURCE_TYPE, code: 'Consent' },
        role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
      },
    ];
  if (['client', 'consent', 'therapy', 'review', 'takeaway'].includes(prefix ?? ''))
    return [patient];
  if (prefix === 'auditor')
    return [
      {
        what: { identifier: { system: SESSION_VAULT_SYSTEM.actor, value: subject } },
        type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
        role: { system: OBJECT_ROLE, code: '6', display: 'User' },
      },
    ];
  if (entry.action === 'request.refused')
    return [
      {
        what: { identifier: { system: SESSION_VAULT_SYSTEM.channel, value: subject } },
        type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
        role: { system: OBJECT_ROLE, code: '3', display: 'Report' },
      },
    ];
  return [
    {
      what: { identifier: { system: SESSION_VAULT_SYSTEM.subject, value: subject } },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
    },
  ];
}

/** How the actor took part, in BALP's user-agent types (the client as the patient). */
function agentType(entry: FhirSourceEntry, action: FhirAuditEvent['action']): Coding {
  if (entry.actorRole === 'client') return { system: ROLE_CLASS, code: 'PAT', display: 'patient' };
  if (entry.actorRole === 'system') return { system: DCM, code: '110150', display: 'Application' };
  if (entry.action === 'audit.export')
    return { system: PARTICIPATION, code: 'INF', display: 'informant' };
  if (action === 'R')
    return { system: PARTICIPATION, code: 'IRCP', display: 'information recipient' };
  return { system: PARTICIPATION, code: 'AUT', display: 'author (originator)' };
}

/**
 * One entry as an AuditEvent. `vaultId` (hex) names the laptop as the source observer and makes
 * the resource's id, so loading the same export twice updates rather than duplicates.
 */
export function fhirAuditEvent(vaultId: string, entry: FhirSourceEntry): FhirAuditEvent {
  const kind = KINDS[entry.action] ?? applicationActivity;
  const ownCode: Coding = { system: SESSION_VAULT_SYSTEM.action, code: entry.action };
  const entity = entitiesOf(entry);
  return {
    resourceType: 'AuditEvent',
    id: `sv-${vaultId}-${entry.seq}`,
    type: kind.type,
    subtype: kind.subtype ? [kind.subtype, ownCode] : [ownCode],
    action: kind.action,
    recorded: new Date(entry.at).toISOString(),
    outcome: OUTCOME[entry.outcome] ?? '8',
    ...(entry.reason === null || entry.reason === '' ? {} : { outcomeDesc: entry.reason }),
    agent: [
      {
        type: { coding: [agentType(entry, kind.action)] },
        role: [{ coding: [{ system: SESSION_VAULT_SYSTEM.actorRole, code: entry.actorRole }] }],
        who: {
          identifier: {
            system: SESSION_VAULT_SYSTEM.actor,
            // The therapist and the system have no id in the log: their role names them.
            value: entry.actorId ?? entry.actorRole,
          },
        },
        requestor: true,
      },
    ],
    source: {
      site: 'Session Vault',
      observer: { identifier: { system: SESSION_VAULT_SYSTEM.vault, value: vaultId } },
      type: [{ system: SOURCE_TYPE, code: '1', display: 'User Device' }],
    },
    ...(entity.length > 0 ? { entity } : {}),
  };
}

/** One NDJSON line. */
export function fhirLine(vaultId: string, entry: FhirSourceEntry): string {
  return `${JSON.stringify(fhirAuditEvent(vaultId, entry))}\n`;
}
