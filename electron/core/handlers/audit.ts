// audit.query, audit.exportStart and audit.exportNext: the log screen's filters and exports, for
// the therapist and for an auditor (whoever holds the audit secrets now); audit.revealClients for
// the therapist alone.
import type { Handlers } from '../dispatch';
import type { AuditExports } from '../audit-export';
import type { AuditQueries } from '../audit-queries';
import { requireTherapist, type CoreContext } from './context';

export function auditHandlers(context: CoreContext, exports: AuditExports, queries: AuditQueries) {
  return {
    'audit.query': (request) => {
      context.active();
      return queries.query(request);
    },
    'audit.exportStart': (request) => {
      context.active();
      return exports.start(request.format);
    },
    'audit.exportNext': (request) => {
      context.active();
      return exports.next(request.exportId);
    },
    'audit.revealClients': async () => {
      requireTherapist(context);
      const clients = context.consent.list();
      // Waits (without blocking main) for the whole index; a lock meanwhile refuses the reveal.
      const mentioned = new Set(await queries.mentioned(clients.map((client) => client.clientId)));
      const revealed = clients
        .filter((client) => mentioned.has(client.clientId))
        .map(({ clientId, displayName }) => ({ clientId, displayName }));
      // Names leave the vault only with a trace: the entry is written before the answer.
      const loggedAs = context.lifecycle.opened().audit.append({
        actorRole: 'therapist',
        action: 'audit.revealClients',
        outcome: 'ok',
        reason: `${revealed.length} client ${revealed.length === 1 ? 'name' : 'names'} shown`,
      });
      return { clients: revealed, loggedAs };
    },
  } satisfies Partial<Handlers>;
}
