// Audit entries written by workflows (actor "system"), e.g. a tenant activated or an instance destroyed.
// A retried activity may, rarely, repeat an entry; the log records what happened, so that is harmless.
import type { ActorType, AuditResult } from '../../lib/db';
import type { PlatformDeps } from '../deps';

export interface AuditWrite {
  actorType?: ActorType;
  actorId?: string;
  tenantId?: string;
  action: string;
  targetType?: string;
  targetId?: string;
  result?: AuditResult;
  details?: Record<string, unknown>;
}

export function createAuditActivities({ db }: PlatformDeps) {
  return {
    async recordAudit(entry: AuditWrite): Promise<void> {
      await db.auditLog.create({
        data: {
          actorType: entry.actorType ?? 'system',
          actorId: entry.actorId ?? 'workflow',
          tenantId: entry.tenantId ?? null,
          action: entry.action,
          targetType: entry.targetType ?? null,
          targetId: entry.targetId ?? null,
          result: entry.result ?? 'success',
          details: entry.details as object | undefined,
        },
      });
    },
  };
}
