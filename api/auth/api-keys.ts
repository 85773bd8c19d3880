// API keys for automation: `tk_<prefix>_<secret>`. The prefix is public (shown in lists, used for
// lookup); only SHA-256 of the secret is stored. A key carries its creator's tenant, role and site
// scope at creation time, never more (the issuing route enforces that).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../../lib/secrets';
import type { ApiDeps } from '../deps';
import { unauthorized } from '../errors';
import type { Principal } from './sessions';

export function generateApiKey(): { token: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `tk_${prefix}_${secret}`, prefix: `tk_${prefix}`, secretHash: sha256Hex(secret) };
}

export async function authenticateApiKey(deps: ApiDeps, token: string): Promise<Principal> {
  const m = /^(tk_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) throw unauthorized('malformed API key');
  const key = await deps.db.apiKey.findUnique({ where: { prefix: m[1] } });
  const presented = Buffer.from(sha256Hex(m[2]));
  if (!key || !timingSafeEqual(presented, Buffer.from(key.secretHash))) throw unauthorized('invalid API key');
  if (key.revokedAt) throw unauthorized('API key revoked');
  if (key.expiresAt && key.expiresAt < new Date()) throw unauthorized('API key expired');
  // Best effort; a lost update of last-used time is harmless.
  void deps.db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  return { kind: 'api_key', keyId: key.id, tenantId: key.tenantId, role: key.role, siteId: key.siteId, createdById: key.createdById };
}
