// Sites as choices in forms: "whole organization" or one site. Mantine selects need string values,
// so the organization-wide choice is a sentinel that no site id (a UUID) can equal.
import { $api } from '../../api/client';
import type { Site } from '../../api/types';

export const ORG_WIDE = 'organization';

export function useSites(tenantId: string) {
  return $api.useQuery('get', '/tenants/{tenantId}/sites', { params: { path: { tenantId } } });
}

export function siteOptions(sites: readonly Site[] | undefined) {
  return [{ value: ORG_WIDE, label: 'Whole organization' }, ...(sites ?? []).map((s) => ({ value: s.id, label: s.name }))];
}

/** The API's `siteId` for a choice. */
export const siteIdOf = (choice: string): string | null => (choice === ORG_WIDE ? null : choice);

/** A site's name for display; site-limited callers only see their own site, so others show as an id. */
export function siteLabel(siteId: string | null, sites: readonly Site[] | undefined): string {
  if (!siteId) return 'Whole organization';
  return sites?.find((s) => s.id === siteId)?.name ?? `Site ${siteId.slice(0, 8)}`;
}
