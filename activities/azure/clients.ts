// The real Azure SDK clients (resources, compute, subscriptions), pointed at AZURE_ARM_ENDPOINT when
// set (the simulator, a sovereign cloud) and cached per credential so tokens are reused across
// activities. The token scope stays the SDK default `<endpoint>/.default`, right for every cloud.
import { ComputeManagementClient } from '@azure/arm-compute';
import { ResourceManagementClient } from '@azure/arm-resources';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/identity';
import { createTokenCredential, trustedTls, type AzureIdentity, type AzurePlatformConfig } from './credentials';

export interface AzureClients {
  subscriptionId: string;
  resources: ResourceManagementClient;
  compute: ComputeManagementClient;
  subscriptions: SubscriptionClient;
}

export function armClientOptions(cfg: AzurePlatformConfig) {
  return {
    ...(cfg.armEndpoint ? { endpoint: cfg.armEndpoint.replace(/\/+$/, '') } : {}),
    tlsOptions: trustedTls(cfg),
  };
}

export function createAzureClients(cfg: AzurePlatformConfig, credential: TokenCredential, subscriptionId: string): AzureClients {
  const options = armClientOptions(cfg);
  return {
    subscriptionId,
    resources: new ResourceManagementClient(credential, subscriptionId, options),
    compute: new ComputeManagementClient(credential, subscriptionId, options),
    subscriptions: new SubscriptionClient(credential, options),
  };
}

export class AzureClientCache {
  private readonly byKey = new Map<string, AzureClients>();

  constructor(private readonly cfg: AzurePlatformConfig) {}

  for(identity: AzureIdentity): AzureClients {
    let clients = this.byKey.get(identity.cacheKey);
    if (!clients) {
      clients = createAzureClients(this.cfg, createTokenCredential(this.cfg, identity), identity.subscriptionId);
      this.byKey.set(identity.cacheKey, clients);
    }
    return clients;
  }
}
