// What the API checks on an order, checked again here so a person learns it while typing: the name
// rule (the API's `instanceName`) and the quota check (the API's admission check, same figures).
import type { ProviderInfo, Tenant } from '../../api/types';

const NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

/** The reason a name is refused, or null. Same rule as the API: it becomes part of a web address. */
export function nameProblem(name: string): string | null {
  if (!name.trim()) return 'is required';
  if (name.length > 40) return 'must be at most 40 characters';
  if (!NAME.test(name)) return 'use lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen (it becomes part of a web address)';
  return null;
}

export type Size = ProviderInfo['sizes'][number];

export interface QuotaLine {
  what: 'instances' | 'vCPU' | 'memory';
  used: number;
  adding: number;
  limit: number;
  ok: boolean;
}

/** This order against the organization's quotas, line by line, the way the API admits it. */
export function quotaCheck(tenant: Pick<Tenant, 'quotas' | 'usage'>, size: Pick<Size, 'vcpu' | 'memoryMb'>): { ok: boolean; lines: QuotaLine[] } {
  const { quotas, usage } = tenant;
  const lines: QuotaLine[] = [
    { what: 'instances', used: usage.instances, adding: 1, limit: quotas.maxInstances, ok: usage.instances + 1 <= quotas.maxInstances },
    { what: 'vCPU', used: usage.vcpu, adding: size.vcpu, limit: quotas.maxVcpu, ok: usage.vcpu + size.vcpu <= quotas.maxVcpu },
    { what: 'memory', used: usage.memoryMb, adding: size.memoryMb, limit: quotas.maxMemoryMb, ok: usage.memoryMb + size.memoryMb <= quotas.maxMemoryMb },
  ];
  return { ok: lines.every((l) => l.ok), lines };
}
