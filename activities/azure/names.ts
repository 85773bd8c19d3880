// Every Azure name of an instance derives from its id, so a retry, a crashed worker or a replay
// finds what an earlier attempt created (contract rule: adopt, never duplicate).
import { externalName } from '../providers/contract';

export interface AzureNames {
  /** One resource group per instance (≤ 90 chars); deleting it removes everything. */
  resourceGroup: string;
  /** The template deployment inside it. */
  deployment: string;
  /** VM name and Linux host name (≤ 64 chars). */
  vm: string;
  /** Public IP DNS label: `<label>.<region>.cloudapp.azure.com` (globally unique per region). */
  dnsLabel: string;
}

export function azureNames(instanceId: string): AzureNames {
  const id = externalName('tenantry', instanceId); // tenantry-1a2b3c4d5e6f
  return {
    resourceGroup: id,
    deployment: `${id}-app`,
    vm: externalName('tn', instanceId),
    dnsLabel: id,
  };
}
