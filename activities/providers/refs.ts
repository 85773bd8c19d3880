// "Create pending": providers record the external names they are about to create before calling the
// provider, and what they learned after, in instances.provider_refs (merged, never replaced). An
// operator looking at a stuck provision sees exactly what may exist at the provider.
import type { Db } from '../../lib/db';

export async function recordProviderRefs(db: Db, instanceId: string, refs: Record<string, string>): Promise<void> {
  await db.$executeRaw`UPDATE instances SET provider_refs = provider_refs || ${JSON.stringify(refs)}::jsonb, updated_at = now() WHERE id = ${instanceId}::uuid`;
}

export async function readProviderRefs(db: Db, instanceId: string): Promise<Record<string, string>> {
  const row = await db.instance.findUnique({ where: { id: instanceId }, select: { providerRefs: true } });
  return (row?.providerRefs as Record<string, string> | undefined) ?? {};
}
