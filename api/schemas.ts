// Schemas shared by several routes.
import { z } from 'zod';
import { PROVIDERS } from '../lib/catalog';

export const uuid = (what: string) => z.uuid(`must be ${what} (a UUID)`);
export const tenantIdParams = z.object({ tenantId: uuid('an organization id') });
export const instanceIdParams = z.object({ instanceId: uuid('an instance id') });
export const partnerIdParams = z.object({ partnerId: uuid('a partner id') });

export const roleSchema = z.enum(['owner', 'admin', 'member', 'viewer'], 'must be one of owner, admin, member, viewer');
export const providerSchema = z.enum(PROVIDERS as unknown as ['docker', 'orka', 'azure'], `must be one of ${PROVIDERS.join(', ')}`);
export const phaseSchema = z.enum(
  ['pending', 'provisioning', 'configuring', 'installing', 'running', 'stopping', 'stopped', 'starting', 'destroying', 'destroyed', 'failed', 'cancelled'],
  'is not an instance phase',
);

/** A display name: trimmed, 1–100 characters, no control characters. */
export const displayName = (max = 100) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** ISO timestamps in queries. */
export const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z' });

export const problemFields = z.array(z.object({ field: z.string(), message: z.string() }));
