// How a provider's credential fields read in the console: labels and help for the public fields (the
// API names them), and what the secret is called.
import type { ProviderName } from '../../api/types';

const FIELD_LABEL: Record<string, { label: string; help?: string }> = {
  tenantId: { label: 'Directory (tenant) ID', help: 'Microsoft Entra ID → Overview, a GUID' },
  clientId: { label: 'Application (client) ID', help: 'The app registration of your service principal, a GUID' },
  subscriptionId: { label: 'Subscription ID', help: 'The subscription instances are created in, a GUID' },
};

/** "subscriptionId" → "Subscription ID" when we know it, else the name spelled out. */
export function fieldLabel(name: string): string {
  return FIELD_LABEL[name]?.label ?? name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}
export const fieldHelp = (name: string) => FIELD_LABEL[name]?.help;

const SECRET_LABEL: Partial<Record<ProviderName, string>> = { azure: 'Client secret' };
export const secretLabel = (provider: ProviderName | undefined) => (provider && SECRET_LABEL[provider]) ?? 'Secret';
