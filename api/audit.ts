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
  // A plain INSERT: audit entries are written on every mutating request.
  const details = entry.details === undefined ? null : JSON.stringify(entry.details);
  await deps.db.$executeRaw`
    INSERT INTO audit_log (actor_type, actor_id, tenant_id, action, target_type, target_id, result, ip, request_id, details)
    VALUES (${actorType}::actor_type, ${actorId}, ${entry.tenantId ?? null}::uuid, ${entry.action}, ${entry.targetType ?? null}, ${entry.targetId ?? null},
            ${entry.result ?? 'success'}::audit_result, ${req.ip ?? null}, ${(req.res?.locals.requestId as string | undefined) ?? null}, ${details}::jsonb)`;
}
