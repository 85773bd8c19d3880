/**
 * Validate a tenant's cloud credential (e.g. an Azure service principal): one short workflow per
 * validation, id `credential-<credentialId>-<requestId>`.
 *
 * Flow: `<provider>.validateCredential` tries to sign in and read the subscription, and records
 *       valid/invalid with the reason on the credential row → audit entry.
 * Compensation: none. Idempotency: validating twice just records the latest verdict.
 * The secret never travels through history: the activity reads and decrypts it by id.
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CredentialVerdict } from '../activities/providers/contract';
import type { ProviderName } from '../lib/catalog';
import { nonRetryableErrorTypes } from './errors';
import type { Actor } from './instance';
import { ProviderKey, TenantIdKey } from './search-attributes';

export interface CredentialValidationInput {
  tenantId: string;
  credentialId: string;
  provider: ProviderName;
  requestedBy?: Actor;
}

export const credentialWorkflowId = (credentialId: string, requestId: string) => `credential-${credentialId}-${requestId}`;

const platform = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 10, nonRetryableErrorTypes } });
const validators = proxyActivities<Record<string, (credentialId: string) => Promise<CredentialVerdict>>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5, nonRetryableErrorTypes },
});

export async function validateCredentialWorkflow(input: CredentialValidationInput): Promise<CredentialVerdict> {
  upsertSearchAttributes([
    { key: TenantIdKey, value: input.tenantId },
    { key: ProviderKey, value: input.provider },
  ]);
  const verdict = await validators[`${input.provider}.validateCredential`](input.credentialId);
  await platform.recordAudit({
    actorType: input.requestedBy?.type ?? 'system',
    actorId: input.requestedBy?.id,
    tenantId: input.tenantId,
    action: 'credential.validate',
    targetType: 'credential',
    targetId: input.credentialId,
    result: verdict.status === 'valid' ? 'success' : 'failure',
    details: { provider: input.provider, message: verdict.message },
  });
  return verdict;
}
