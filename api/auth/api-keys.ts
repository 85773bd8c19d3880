// API keys for automation: `tk_<prefix>_<secret>`. The prefix is public (shown in lists, used for
// lookup); only SHA-256 of the secret is stored. A key carries a tenant, a role and optionally a
// site, never more than its creator had when creating it — and it is re-bounded by the creator's
// standing on every use: a creator demoted to viewer leaves keys that act as viewers at most, a
// creator who left the organization leaves keys that no longer work.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../../lib/secrets';
import type { ApiDeps } from '../deps';
import { unauthorized } from '../errors';
import { lowerRole, userStanding } from './membership';
import type { Principal } from './sessions';

export const API_KEY_FORMAT = /^(tk_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): { token: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `tk_${prefix}_${secret}`, prefix: `tk_${prefix}`, secretHash: sha256Hex(secret) };
}

const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateApiKey(deps: ApiDeps, token: string): Promise<Extract<Principal, { kind: 'api_key' }>> {
  const m = API_KEY_FORMAT.exec(token);
  if (!m) throw unauthorized('malformed API key');
  const key = await deps.db.apiKey.findUnique({ where: { prefix: m[1] } });
  const presented = Buffer.from(sha256Hex(m[2]));
  if (!key || !timingSafeEqual(presented, Buffer.from(key.secretHash))) throw unauthorized('invalid API key');
  if (key.revokedAt) throw unauthorized('API key revoked');
  if (key.expiresAt && key.expiresAt < new Date()) throw unauthorized('API key expired');
  const creator = await userStanding(deps, key.createdById, key.tenantId);
  if (!creator) throw unauthorized('API key no longer valid: its creator is no longer in the organization');
  let siteId = key.siteId;
  if (creator.siteId) {
    if (siteId && siteId !== creator.siteId) throw unauthorized('API key no longer valid: its creator moved to another site');
    siteId = creator.siteId;
  }
  // Best effort, at most once a minute; a lost update of the last-used time is harmless.
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    void deps.db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  }
  return { kind: 'api_key', keyId: key.id, tenantId: key.tenantId, role: lowerRole(key.role, creator.role), siteId, createdById: key.createdById };
}
