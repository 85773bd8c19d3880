// Ordering an instance: resolve the catalogue choice, then start its lifecycle workflow. The workflow
// id is the instance id, so retrying the same order (same Idempotency-Key → same id) never starts a
// second lifecycle.
import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { InstanceTarget } from '../activities/providers/contract';
import { resolveSpec, type ProviderName, type ResolvedSpec } from '../lib/catalog';
import { instanceWorkflow, instanceWorkflowId, type Actor } from '../workflows/instance';
import { InstanceIdKey, LifecyclePhaseKey, ProviderKey, TenantIdKey } from '../workflows/search-attributes';

export interface InstanceOrder {
  instanceId?: string;
  tenant: { id: string; slug: string; name: string };
  name: string;
  provider: ProviderName;
  template?: string;
  size?: string;
  region?: string;
  siteId?: string | null;
  credentialId?: string | null;
  requestedBy: Actor;
}

export class InvalidOrder extends Error {
  constructor(readonly errors: { field: string; message: string }[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

/**
 * The instance id an Idempotency-Key stands for: the same organization and key always give the same
 * id (a name-based UUID, version 5 layout), so a retried order joins the lifecycle it started.
 */
export function idempotentInstanceId(tenantId: string, key: string): string {
  const b = createHash('sha256').update(`instance-order:${tenantId}:${key}`).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function targetFor(order: InstanceOrder, spec: ResolvedSpec, instanceId: string): InstanceTarget {
  return {
    instanceId,
    tenantId: order.tenant.id,
    tenantSlug: order.tenant.slug,
    tenantName: order.tenant.name,
    name: order.name,
    provider: order.provider,
    spec,
    credentialId: order.credentialId ?? null,
  };
}

export async function startInstanceOrder(temporal: Client, taskQueue: string, order: InstanceOrder) {
  const resolved = resolveSpec(order.provider, order);
  if (!resolved.ok) throw new InvalidOrder(resolved.errors);
  const instanceId = order.instanceId ?? randomUUID();
  const target = targetFor(order, resolved.spec, instanceId);
  const workflowId = instanceWorkflowId(instanceId);
  const handle = await temporal.workflow.start(instanceWorkflow, {
    taskQueue,
    workflowId,
    // A repeated order with the same id joins the running lifecycle instead of failing.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      { key: TenantIdKey, value: order.tenant.id },
      { key: InstanceIdKey, value: instanceId },
      { key: ProviderKey, value: order.provider },
      { key: LifecyclePhaseKey, value: 'pending' },
    ],
    staticSummary: `${order.provider} instance "${order.name}" of ${order.tenant.slug}`,
    // Read back by the API (api/auth/access.ts) before the instance row exists, and to find the
    // lifecycles that use a credential.
    memo: { tenantId: order.tenant.id, name: order.name, siteId: order.siteId ?? null, credentialId: order.credentialId ?? null },
    args: [{ target, requestedBy: order.requestedBy, siteId: order.siteId ?? null }],
  });
  return { instanceId, workflowId, target, handle };
}
