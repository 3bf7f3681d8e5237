// audit.query, audit.exportStart and audit.exportNext: the log screen's filters and exports, for
// the therapist and for an auditor (whoever holds the audit secrets now).
import type { Handlers } from '../dispatch';
import type { AuditExports } from '../audit-export';
import type { AuditQueries } from '../audit-index';
import type { CoreContext } from './context';

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
  } satisfies Partial<Handlers>;
}
