// The providers this platform offers (GET /providers): labels, sandbox flag, templates, regions, sizes.
// The catalogue changes only with a deployment, so it is fetched once per session.
import { $api } from '../api/client';
import type { ProviderInfo } from '../api/types';

export function useProviders() {
  return $api.useQuery('get', '/providers', undefined, { staleTime: Infinity });
}

/** A provider's entry, by name, once the catalogue has loaded. */
export function providerInfo(providers: ProviderInfo[] | undefined, name: string): ProviderInfo | undefined {
  return providers?.find((p) => p.name === name);
}
