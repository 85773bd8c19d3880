// Ordering an instance: resolve the catalogue choice, then start its lifecycle workflow. The workflow
// id is the instance id, so retrying the same order (same Idempotency-Key → same id) never starts a
// second lifecycle.
import { randomUUID } from 'node:crypto';
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
    memo: { tenantId: order.tenant.id, name: order.name },
    args: [{ target, requestedBy: order.requestedBy, siteId: order.siteId ?? null }],
  });
  return { instanceId, workflowId, target, handle };
}
