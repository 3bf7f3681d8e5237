import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditActionSchema } from '../../../shared/api';
import { exportFileName } from '../../../shared/export-file-name';
import { fhirAuditEvent, SESSION_VAULT_SYSTEM } from '../../../electron/core/audit/audit-fhir';
import { call } from '../helpers/practice-helpers';
import { exportText, fill, newCoreVault, type TestVault } from '../helpers/audit-helpers';
import { fhirProblems, loadFhirR4 } from '../helpers/fhir-validation';

let vault: TestVault;
beforeAll(loadFhirR4, 60_000);
beforeEach(async () => {
  vault = await newCoreVault();
});
afterEach(() => vault.cleanup());

const CLIENT = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const RECORDING = 'feed0000feed0000feed0000feed0000';

type Event = Record<string, unknown> & {
  id: string;
  action: string;
  outcome: string;
  subtype: { system: string; code: string }[];
  agent: { who: { identifier: { value: string } }; role: { coding: { code: string }[] }[] }[];
  source: { observer: { identifier: { system: string; value: string } } };
  entity?: { what?: { type?: string; identifier: { system: string; value: string } } }[];
};

describe('audit export as FHIR AuditEvents', () => {
  it('writes one valid R4 AuditEvent per entry, for every action, role and outcome', async () => {
    const actions = [...auditActionSchema.options, 'from.a.later.version'];
    const roles = ['therapist', 'client', 'auditor', 'system', 'unknown'] as const;
    const outcomes = ['ok', 'refused', 'failed'] as const;
    fill(vault, actions.length * 3, (i) => {
      const action = actions[i % actions.length]!;
      const role = roles[i % roles.length]!;
      const prefix = action.split('.')[0]!;
      return {
        action,
        actorRole: role,
        ...(role === 'client' ? { actorId: CLIENT } : {}),
        ...(role === 'auditor' ? { actorId: 'auditor:a1b2' } : {}),
        ...(['recording', 'playback', 'capture'].includes(prefix) ? { subject: RECORDING } : {}),
        ...(['client', 'consent', 'therapy', 'review'].includes(prefix) ? { subject: CLIENT } : {}),
        outcome: outcomes[i % outcomes.length]!,
        ...(i % 2 === 0 ? { reason: 'not allowed in client review' } : {}),
      };
    });
    const exported = await exportText(vault, 'fhir');
    expect(vault.chosen.at(-1)!.suggestedName).toBe(
      exportFileName('fhir', new Date(vault.clock.now())),
    );
    expect(exported.fileName).toMatch(/\.fhir\.ndjson$/);
    expect(exported.text.endsWith('\n')).toBe(true);
    const lines = exported.text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(exported.total);
    const events = lines.map((line) => JSON.parse(line) as Event);
    for (const event of events) expect(fhirProblems(event), JSON.stringify(event)).toEqual([]);

    const vaultIds = new Set(events.map((event) => event.source.observer.identifier.value));
    expect(vaultIds.size).toBe(1);
    const [vaultId] = [...vaultIds];
    expect(vaultId).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    // Every action is carried as it was logged, beside the standard codes.
    const own = events.map(
      (event) => event.subtype.find((c) => c.system === SESSION_VAULT_SYSTEM.action)!.code,
    );
    for (const action of actions) expect(own).toContain(action);
    expect(new Set(events.map((event) => event.outcome))).toEqual(new Set(['0', '4', '8']));
    // Recordings and clients are references by id, never by a name.
    const playback = events.find((event) => own[events.indexOf(event)] === 'playback.start')!;
    expect(playback.entity![0]!.what).toEqual({
      type: 'Media',
      identifier: { system: SESSION_VAULT_SYSTEM.recording, value: RECORDING },
    });
    const consent = events.find((event) => own[events.indexOf(event)] === 'consent.sign')!;
    expect(consent.entity!.map((entity) => entity.what!.type)).toEqual(['Patient', 'Consent']);
    const byClient = events.find((event) => event.agent[0]!.role[0]!.coding[0]!.code === 'client');
    expect(byClient!.agent[0]!.who.identifier.value).toBe(CLIENT);
    // The export logs itself, as every export does.
    expect(own.at(-1)).toBe('audit.export');
  });

  it('names no client, even when the therapist has added clients with names', async () => {
    const { clientId } = await call(vault.core, 'clients.add', {
      displayName: 'Rosalind Quist',
      otherParticipants: ['Tobias Quist'],
    });
    const exported = await exportText(vault, 'fhir');
    expect(exported.text).toContain(clientId);
    expect(exported.text).not.toContain('Rosalind');
    expect(exported.text).not.toContain('Quist');
    for (const line of exported.text.slice(0, -1).split('\n'))
      expect(fhirProblems(JSON.parse(line) as Record<string, unknown>)).toEqual([]);
  });

  it('the validation catches what is not an R4 AuditEvent', () => {
    const event = fhirAuditEvent('00ff', {
      seq: 1,
      at: 0,
      actorRole: 'therapist',
      actorId: null,
      action: 'session.unlock',
      subject: null,
      outcome: 'ok',
      reason: null,
    }) as unknown as Record<string, unknown>;
    expect(fhirProblems(event)).toEqual([]);
    expect(fhirProblems({ ...event, outcome: '3' })).not.toEqual([]);
    expect(fhirProblems({ ...event, recorded: 'yesterday' })).not.toEqual([]);
    expect(fhirProblems({ ...event, agent: [] })).not.toEqual([]);
    expect(
      fhirProblems({
        ...event,
        type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '999999' },
      }),
    ).not.toEqual([]);
  });
});
