// The search attributes every lifecycle workflow carries (BRIEF §4), so operators can query e.g.
// `LifecyclePhase="provisioning" AND StartTime < "..."` in the Temporal UI. Registered by
// temporal-dev/ (dev server flags, or the operator service on an external cluster).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const InstanceIdKey = defineSearchAttributeKey('InstanceId', SearchAttributeType.KEYWORD);
export const ProviderKey = defineSearchAttributeKey('Provider', SearchAttributeType.KEYWORD);
export const LifecyclePhaseKey = defineSearchAttributeKey('LifecyclePhase', SearchAttributeType.KEYWORD);

export const allSearchAttributeKeys = [TenantIdKey, InstanceIdKey, ProviderKey, LifecyclePhaseKey];
