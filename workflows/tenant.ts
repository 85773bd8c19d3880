/**
 * Tenant lifecycle: one workflow per organization, id `tenant-<subdomain>`, for the tenant's whole life.
 *
 * Flow (signup):  create tenant (pending) → create owner + membership → grant trial credits → active.
 *
 * Compensation:   if signup fails after retries, `discardTenant` frees the subdomain and removes the
 *                 owner account this signup created (or closes the tenant if it already holds
 *                 ledger entries), in a non-cancellable scope; the workflow then fails with the reason.
 *
 * Idempotency:    the tenant and owner ids come from the API in the input, so every activity adopts
 *                 its own earlier write on retry; trial credits carry the ledger key
 *                 `trial-grant:<tenantId>`. The workflow id derives from the subdomain, so a double
 *                 submit can never start two signups for one subdomain.
 *
 * Search attributes: TenantId, LifecyclePhase (= tenant status).
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NewOwner } from '../activities/platform/tenants';
import { nonRetryableErrorTypes } from './errors';
import { LifecyclePhaseKey, TenantIdKey } from './search-attributes';

export type TenantStatus = 'pending' | 'active' | 'suspended' | 'closed';

export interface TenantWorkflowInput {
  tenantId: string;
  slug: string;
  name: string;
  planCode: string;
  partnerId?: string | null;
  owner: NewOwner;
}

export interface TenantState {
  tenantId: string;
  slug: string;
  status: TenantStatus;
  /** What signup is doing right now, for the "preparing your workspace" page. */
  step: string;
  progress: number;
  failure?: string;
}

export const tenantStateQuery = defineQuery<TenantState>('tenantState');

export const tenantWorkflowId = (slug: string) => `tenant-${slug}`;

const platform = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes },
});

export async function tenantWorkflow(input: TenantWorkflowInput): Promise<TenantState> {
  const state: TenantState = { tenantId: input.tenantId, slug: input.slug, status: 'pending', step: 'starting', progress: 0 };
  setHandler(tenantStateQuery, () => state);

  const setStatus = (status: TenantStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: LifecyclePhaseKey, value: status }]);
  };
  upsertSearchAttributes([
    { key: TenantIdKey, value: input.tenantId },
    { key: LifecyclePhaseKey, value: 'pending' },
  ]);

  const step = (name: string, progress: number) => {
    state.step = name;
    state.progress = progress;
  };

  try {
    step('creating organization', 10);
    await platform.createTenant({
      tenantId: input.tenantId,
      slug: input.slug,
      name: input.name,
      planCode: input.planCode,
      partnerId: input.partnerId,
      workflowId: workflowInfo().workflowId,
    });
    step('creating owner account', 35);
    await platform.createOwner(input.tenantId, input.owner);
    step('granting trial credits', 70);
    await platform.grantTrialCredits(input.tenantId);
    step('activating', 90);
    await platform.setTenantStatus(input.tenantId, 'active');
  } catch (err) {
    const reason = (err instanceof Error && (err.cause as Error | undefined)?.message) || (err as Error).message;
    state.failure = reason;
    step('signup failed', state.progress);
    await CancellationScope.nonCancellable(async () => {
      await platform.discardTenant(input.tenantId, input.owner.userId, `signup failed: ${reason}`);
      await platform.recordAudit({
        tenantId: undefined,
        action: 'tenant.signup',
        targetType: 'tenant',
        targetId: input.tenantId,
        result: 'failure',
        details: { slug: input.slug, reason },
      });
    });
    setStatus('closed');
    throw ApplicationFailure.create({ type: 'SignupFailed', message: `signup of "${input.slug}" failed: ${reason}`, nonRetryable: true });
  }
  setStatus('active');
  step('active', 100);
  await platform.recordAudit({
    tenantId: input.tenantId,
    action: 'tenant.activated',
    targetType: 'tenant',
    targetId: input.tenantId,
    details: { slug: input.slug, plan: input.planCode },
  });

  // Suspend, resume and close arrive as updates (issue #3); until then the tenant simply lives on.
  await condition(() => state.status === 'closed');
  return state;
}
