import type { ServiceHealth } from '../providers/contract';
import { createAzureClients } from './clients';
import { createTokenCredential, platformIdentity, type AzurePlatformConfig } from './credentials';

/** The platform's service principal signs in and reads its subscription (tenant credentials are validated separately). */
export async function azureHealth(cfg: AzurePlatformConfig): Promise<ServiceHealth> {
  try {
    const id = platformIdentity(cfg);
    const clients = createAzureClients(cfg, createTokenCredential(cfg, id), id.subscriptionId);
    const sub = await clients.subscriptions.subscriptions.get(id.subscriptionId);
    return { ok: true, detail: `subscription ${sub.displayName ?? id.subscriptionId} (${sub.state ?? 'state unknown'})` };
  } catch (err) {
    return { ok: false, detail: `Azure: ${(err as Error).message}` };
  }
}
