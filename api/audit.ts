// Every mutating API action writes one audit entry: who (user, API key, operator), what, on which
// target, with what result, from which address, under which request id.
import type { Request } from 'express';
import type { AuditResult } from '../lib/db';
import type { TenantAccess } from './auth/access';
import type { ApiDeps } from './deps';

export interface AuditInput {
  action: string;
  tenantId?: string | null;
  targetType?: string;
  targetId?: string;
  result?: AuditResult;
  details?: Record<string, unknown>;
  /** Pass the access object when known, so operator actions are recorded as such. */
  access?: TenantAccess;
}

export async function audit(deps: ApiDeps, req: Request, entry: AuditInput): Promise<void> {
  const p = req.principal;
  const actorType = !p ? 'user' : p.kind === 'api_key' ? 'api_key' : entry.access?.via === 'operator' || p.isOperator ? 'operator' : 'user';
  const actorId = !p ? null : p.kind === 'api_key' ? p.keyId : p.userId;
  await deps.db.auditLog.create({
    data: {
      actorType,
      actorId,
      tenantId: entry.tenantId ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      result: entry.result ?? 'success',
      ip: req.ip ?? null,
      requestId: (req.res?.locals.requestId as string | undefined) ?? null,
      details: entry.details as object | undefined,
    },
  });
}
