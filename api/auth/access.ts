// Authorization over partner > organization > site > instance. Routes declare what they need
// (api/route.ts `access`) and these functions decide. A caller without any access to the
// organization gets 404, never 403, so the existence of other organizations' resources does not
// leak; a caller with access but too small a role gets 403. Site-limited callers (members or keys
// bound to one site) do not see instances of other sites at all (404).
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Request } from 'express';
import type { MemberRole, PartnerRole } from '../../lib/db';
import { instanceWorkflowId, type Actor } from '../../workflows/instance';
import type { ApiDeps } from '../deps';
import { forbidden, notFound } from '../errors';
import { roleAtLeast, userStanding } from './membership';
import { requireAuth, type Principal } from './sessions';

export { roleAtLeast } from './membership';

export interface TenantAccess {
  principal: Principal;
  tenantId: string;
  role: MemberRole;
  /** Set when the caller is limited to one site of the tenant. */
  siteId: string | null;
  /** How access was obtained, for the audit log. */
  via: 'membership' | 'partner' | 'operator' | 'api_key';
}

/** Resolves the caller's role in a tenant, or undefined when they have none. */
export async function resolveTenantAccess(deps: ApiDeps, principal: Principal, tenantId: string): Promise<TenantAccess | undefined> {
  if (principal.kind === 'api_key') {
    return principal.tenantId === tenantId ? { principal, tenantId, role: principal.role, siteId: principal.siteId, via: 'api_key' } : undefined;
  }
  // Operators act on every organization with full rights, and are recorded as operators.
  if (principal.isOperator) {
    const exists = await deps.db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } });
    return exists ? { principal, tenantId, role: 'owner', siteId: null, via: 'operator' } : undefined;
  }
  const standing = await userStanding(deps, principal.userId, tenantId);
  return standing ? { principal, tenantId, ...standing } : undefined;
}

function checkRole(access: TenantAccess, minRole: MemberRole) {
  if (!roleAtLeast(access.role, minRole)) throw forbidden(`this needs the ${minRole} role or higher; you are ${access.role}`);
}

export async function tenantAccess(deps: ApiDeps, req: Request, tenantId: string, minRole: MemberRole = 'viewer'): Promise<TenantAccess> {
  const principal = requireAuth(req);
  const access = await resolveTenantAccess(deps, principal, tenantId);
  if (!access) throw notFound('tenant');
  checkRole(access, minRole);
  return access;
}

/** What the API knows about an instance before reading it: whose it is and where its lifecycle runs. */
export interface InstanceRef {
  id: string;
  tenantId: string;
  siteId: string | null;
  workflowId: string;
  /** False while the workflow has started but not yet written the instance row. */
  recorded: boolean;
}

/** What the API puts in an instance workflow's memo (api/instance-orders.ts), read back here. */
export interface InstanceMemo {
  tenantId?: string;
  name?: string;
  siteId?: string | null;
  credentialId?: string | null;
}

async function findInstance(deps: ApiDeps, instanceId: string): Promise<InstanceRef | undefined> {
  const row = await deps.db.instance.findUnique({ where: { id: instanceId }, select: { tenantId: true, siteId: true, workflowId: true } });
  if (row) return { id: instanceId, tenantId: row.tenantId, siteId: row.siteId, workflowId: row.workflowId, recorded: true };
  // Ordered a moment ago: the workflow exists, its first activity has not written the row yet.
  const workflowId = instanceWorkflowId(instanceId);
  try {
    const desc = await deps.temporal.workflow.getHandle(workflowId).describe();
    const memo = (desc.memo ?? {}) as InstanceMemo;
    if (desc.taskQueue !== deps.config.temporal.taskQueue || !memo.tenantId) return undefined;
    return { id: instanceId, tenantId: memo.tenantId, siteId: memo.siteId ?? null, workflowId, recorded: false };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

export async function resolveInstanceRef(deps: ApiDeps, req: Request, instanceId: string, minRole: MemberRole): Promise<{ access: TenantAccess; instance: InstanceRef }> {
  const principal = requireAuth(req);
  const instance = await findInstance(deps, instanceId);
  if (!instance) throw notFound('instance');
  const access = await resolveTenantAccess(deps, principal, instance.tenantId);
  if (!access) throw notFound('instance');
  if (access.siteId && instance.siteId !== access.siteId) throw notFound('instance');
  checkRole(access, minRole);
  return { access, instance };
}

export interface PartnerAccess {
  partnerId: string;
  role: PartnerRole;
  via: 'membership' | 'operator';
}

const PARTNER_RANK: Record<PartnerRole, number> = { partner_viewer: 0, partner_admin: 1 };

export async function resolvePartnerAccess(deps: ApiDeps, req: Request, partnerId: string, minRole: PartnerRole): Promise<PartnerAccess> {
  const principal = requireAuth(req);
  if (principal.kind !== 'user') throw notFound('partner');
  const pm = await deps.db.partnerMembership.findUnique({ where: { userId_partnerId: { userId: principal.userId, partnerId } } });
  let access: PartnerAccess | undefined = pm ? { partnerId, role: pm.role, via: 'membership' } : undefined;
  if (!access && principal.isOperator && (await deps.db.partner.findUnique({ where: { id: partnerId }, select: { id: true } }))) {
    access = { partnerId, role: 'partner_admin', via: 'operator' };
  }
  if (!access) throw notFound('partner');
  if (PARTNER_RANK[access.role] < PARTNER_RANK[minRole]) throw forbidden(`this needs the ${minRole} role; you are ${access.role}`);
  return access;
}

/** Operators only; everyone else is told there is nothing here. */
export function requireOperator(req: Request): Extract<Principal, { kind: 'user' }> {
  const p = requireAuth(req);
  if (p.kind !== 'user' || !p.isOperator) throw notFound('route');
  return p;
}

/** Who is acting, as workflows record it. */
export function actorOf(principal: Principal, access?: { via: string }): Actor {
  if (principal.kind === 'api_key') return { type: 'api_key', id: principal.keyId };
  return { type: access?.via === 'operator' || (!access && principal.isOperator) ? 'operator' : 'user', id: principal.userId, name: principal.name };
}
