// Typed sample answers for the team and API key pages' tests (kept here, next to the pages they serve).
import type { ApiKey, Invitation, Member, Site } from '../../api/types';
import { USER_ID } from '../../test/fixtures';

export const BOB_ID = '55555555-5555-4555-8555-555555555555';
export const SITE_ID = '66666666-6666-4666-8666-666666666666';
export const INVITATION_ID = '77777777-7777-4777-8777-777777777777';
export const KEY_ID = '88888888-8888-4888-8888-888888888888';

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

export const site: Site = { id: SITE_ID, name: 'Berlin', instances: 2, createdAt: daysAgo(5) };

export const ada: Member = { userId: USER_ID, email: 'ada@example.com', name: 'Ada', role: 'owner', siteId: null, siteName: null, joinedAt: daysAgo(30), lastLoginAt: daysAgo(0) };
export const bob: Member = { userId: BOB_ID, email: 'bob@example.com', name: 'Bob', role: 'member', siteId: null, siteName: null, joinedAt: daysAgo(10), lastLoginAt: null };

export const pendingInvitation: Invitation = {
  id: INVITATION_ID,
  email: 'carol@example.com',
  role: 'viewer',
  siteId: SITE_ID,
  status: 'pending',
  invitedById: USER_ID,
  createdAt: daysAgo(1),
  expiresAt: new Date(Date.now() + 6 * 86_400_000).toISOString(),
  acceptedAt: null,
};

export const apiKey: ApiKey = {
  id: KEY_ID,
  name: 'ci-deploys',
  prefix: 'tk_3f9a2c1b7d0e',
  role: 'member',
  siteId: null,
  createdById: USER_ID,
  createdAt: daysAgo(3),
  lastUsedAt: daysAgo(1),
  expiresAt: null,
  revokedAt: null,
};
