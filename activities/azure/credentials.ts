// Whose Azure an instance lives in: the platform's service principal (AZURE_* variables) or a
// tenant's own one (a provider_credentials row: public fields {tenantId, clientId, subscriptionId},
// the client secret sealed with context `credential:<id>`). Also the TLS trust for a private ARM
// endpoint such as the simulator: extra CA certificates are *added* to Node's public roots, per
// client (SDK `tlsOptions`), so nothing else in the process trusts them and TLS checks stay on.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { z } from 'zod';
import type { Config } from '../../lib/config';
import { sha256Hex } from '../../lib/secrets';
import type { PlatformDeps } from '../deps';
import { ErrorType, permanent } from '../failures';

export interface AzurePlatformConfig {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  subscriptionId?: string;
  /** ARM base URL; the public cloud (https://management.azure.com) when absent. */
  armEndpoint?: string;
  /** Entra ID authority; https://login.microsoftonline.com when absent. */
  authorityHost?: string;
  /** Extra CA certificate(s), PEM, trusted for ARM and Entra ID calls (AZURE_CA_CERT_FILE). */
  caCertPem?: string;
  /** Pause between our polls (deployment state, app health) and the SDK's LRO polls. Default 2000 ms. */
  pollIntervalMs?: number;
  /** Timeout of one app health probe. Default 3000 ms. */
  probeTimeoutMs?: number;
  /** How long install waits for the app's first answer before failing (retryably). Default 20 min. */
  installTimeoutMs?: number;
  /** Linux admin user on the VMs. Default azureuser. */
  adminUsername?: string;
}

/** The platform config from lib/config's `azure` block (AZURE_*, including AZURE_CA_CERT_FILE). */
export function azurePlatformConfig(azure: Config['azure']): AzurePlatformConfig {
  const { caCertFile, ...rest } = azure;
  return { ...rest, caCertPem: caCertFile ? readFileSync(caCertFile, 'utf8') : undefined };
}

/** A service principal and the subscription it provisions into. */
export interface AzureIdentity {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  /** Which credential this is, for caching clients; changes when the secret changes. */
  cacheKey: string;
  source: 'platform' | 'tenant';
}

export const credentialPublicFields = z.object({
  tenantId: z.string().trim().min(1),
  clientId: z.string().trim().min(1),
  subscriptionId: z.string().trim().min(1),
});

/** TLS settings for SDK clients: Node's public roots plus the configured extra CA, if any. */
export function trustedTls(cfg: AzurePlatformConfig): { ca: string[] } | undefined {
  return cfg.caCertPem ? { ca: [...rootCertificates, cfg.caCertPem] } : undefined;
}

export function createTokenCredential(cfg: AzurePlatformConfig, id: Pick<AzureIdentity, 'tenantId' | 'clientId' | 'clientSecret'>): TokenCredential {
  return new ClientSecretCredential(id.tenantId, id.clientId, id.clientSecret, {
    // A non-public authority (sovereign cloud, Azure Stack, the simulator) is not in Microsoft's
    // instance-discovery list; ask it directly.
    ...(cfg.authorityHost ? { authorityHost: cfg.authorityHost, disableInstanceDiscovery: true } : {}),
    tlsOptions: trustedTls(cfg),
  });
}

export function platformIdentity(cfg: AzurePlatformConfig): AzureIdentity {
  const { tenantId, clientId, clientSecret, subscriptionId } = cfg;
  if (!tenantId || !clientId || !clientSecret || !subscriptionId) {
    throw permanent(ErrorType.Authentication, 'Azure is not configured: set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_SUBSCRIPTION_ID, or use an Azure credential of the organization');
  }
  return { tenantId, clientId, clientSecret, subscriptionId, cacheKey: `platform:${clientId}:${subscriptionId}`, source: 'platform' };
}

export type CredentialRow = NonNullable<Awaited<ReturnType<PlatformDeps['db']['providerCredential']['findUnique']>>>;

/** Decrypts a credential row; throws a SecretError / ZodError the caller turns into a verdict. */
export function identityFromRow(deps: PlatformDeps, row: CredentialRow): AzureIdentity {
  const fields = credentialPublicFields.parse(row.publicFields);
  const clientSecret = deps.secrets.open(row.secretCiphertext, `credential:${row.id}`);
  return { ...fields, clientSecret, cacheKey: `credential:${row.id}:${sha256Hex(row.secretCiphertext).slice(0, 16)}`, source: 'tenant' };
}

/** The identity an instance provisions with: its organization's credential, else the platform's. */
export async function resolveIdentity(deps: PlatformDeps & { azure: AzurePlatformConfig }, target: { tenantId: string; credentialId?: string | null }): Promise<AzureIdentity> {
  if (!target.credentialId) return platformIdentity(deps.azure);
  // Scoped to the instance's tenant: one organization can never provision with another's credential.
  const row = await deps.db.providerCredential.findFirst({ where: { id: target.credentialId, tenantId: target.tenantId, provider: 'azure' } });
  if (!row) throw permanent(ErrorType.Authentication, `Azure credential ${target.credentialId} does not exist in this organization`);
  try {
    return identityFromRow(deps, row);
  } catch {
    throw permanent(ErrorType.Authentication, `Azure credential ${row.id} is unusable (malformed fields or undecryptable secret); enter it again`);
  }
}
