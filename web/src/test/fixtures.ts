// Typed sample answers of the API for component tests. Build variations with spreads:
// `{ ...fixtures.instance, phase: 'stopped' }`.
import type { Answer, Billing, Credential, Instance, LedgerEntry, Me, Plan, ProviderInfo, Tenant, TenantSummary, UsageSeries } from '../api/types';

export const TENANT_ID = '11111111-1111-4111-8111-111111111111';
export const USER_ID = '22222222-2222-4222-8222-222222222222';
export const INSTANCE_ID = '33333333-3333-4333-8333-333333333333';
export const PARTNER_ID = '44444444-4444-4444-8444-444444444444';

const money = (credits: number) => ({ micro: Math.round(credits * 1_000_000), credits, formatted: `${credits.toFixed(2)} credits` });
export { money };

export const me: Me = {
  user: { id: USER_ID, email: 'ada@example.com', name: 'Ada', isOperator: false },
  apiKey: null,
  memberships: [{ tenantId: TENANT_ID, slug: 'acme', name: 'Acme', status: 'active', role: 'owner', siteId: null }],
  partners: [],
};

export const tenant: Tenant = {
  id: TENANT_ID,
  slug: 'acme',
  name: 'Acme',
  status: 'active',
  statusReason: null,
  plan: { code: 'trial', name: 'Trial', paid: false },
  trialEndsAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
  graceUntil: null,
  partnerId: null,
  quotas: { maxInstances: 3, maxVcpu: 8, maxMemoryMb: 16384, maxConcurrentProvisions: 1 },
  usage: { instances: 1, vcpu: 0.25, memoryMb: 256 },
  role: 'owner',
  siteId: null,
  access: 'membership',
  createdAt: new Date(Date.now() - 86_400_000).toISOString(),
};

export const providers: ProviderInfo[] = [
  {
    name: 'docker',
    label: 'Docker app',
    description: 'A containerized app with its own Postgres schema, at its own subdomain',
    sandbox: false,
    acceptsCredentials: false,
    credentialFields: [],
    regions: ['local'],
    defaultRegion: 'local',
    templates: [{ name: 'demo-app', label: 'Demo app', description: 'A small web app' }],
    defaultTemplate: 'demo-app',
    sizes: [
      { name: 'small', label: '0.25 vCPU · 256 MB', vcpu: 0.25, memoryMb: 256 },
      { name: 'medium', label: '0.5 vCPU · 512 MB', vcpu: 0.5, memoryMb: 512 },
    ],
    defaultSize: 'small',
    typicalProvisionSeconds: 20,
  },
  {
    name: 'orka',
    label: 'macOS VM (Orka)',
    description: 'An isolated Mac on MacStadium Orka, with SSH and VNC',
    sandbox: true,
    acceptsCredentials: false,
    credentialFields: [],
    regions: ['orka-default'],
    defaultRegion: 'orka-default',
    templates: [
      { name: 'sonoma', label: 'macOS Sonoma', description: 'macOS 14' },
      { name: 'sequoia', label: 'macOS Sequoia', description: 'macOS 15' },
    ],
    defaultTemplate: 'sonoma',
    sizes: [{ name: 'standard', label: '4 vCPU · 8 GB', vcpu: 4, memoryMb: 8192 }],
    defaultSize: 'standard',
    typicalProvisionSeconds: 150,
  },
  {
    name: 'azure',
    label: 'Linux VM (Azure)',
    description: 'An Ubuntu VM in its own resource group',
    sandbox: true,
    acceptsCredentials: true,
    credentialFields: ['tenantId', 'clientId', 'subscriptionId'],
    regions: ['eastus', 'westeurope'],
    defaultRegion: 'eastus',
    templates: [{ name: 'openclaw', label: 'OpenClaw', description: 'OpenClaw installed by a first-boot script' }],
    defaultTemplate: 'openclaw',
    sizes: [{ name: 'Standard_B2s', label: 'B2s · 2 vCPU · 4 GB', vcpu: 2, memoryMb: 4096 }],
    defaultSize: 'Standard_B2s',
    typicalProvisionSeconds: null,
  },
];
export const providersAnswer: Answer<'/providers', 'get'> = { providers };

export const plans: Plan[] = [
  {
    code: 'trial',
    name: 'Trial',
    paid: false,
    trialCredits: money(50),
    trialDays: 14,
    quotas: { maxInstances: 3, maxVcpu: 8, maxMemoryMb: 16384, maxConcurrentProvisions: 1 },
    prices: [{ provider: 'docker', size: 'small', perHour: money(0.05), allocatedPerHour: money(0.01) }],
  },
  {
    code: 'pro',
    name: 'Pro',
    paid: true,
    trialCredits: money(0),
    trialDays: 0,
    quotas: { maxInstances: 20, maxVcpu: 64, maxMemoryMb: 131072, maxConcurrentProvisions: 4 },
    prices: [{ provider: 'docker', size: 'small', perHour: money(0.04), allocatedPerHour: money(0.01) }],
  },
];

const now = new Date().toISOString();
export const instance: Instance = {
  id: INSTANCE_ID,
  tenantId: TENANT_ID,
  siteId: null,
  name: 'web',
  provider: 'docker',
  template: 'demo-app',
  size: 'small',
  region: 'local',
  resources: { vcpu: 0.25, memoryMb: 256 },
  phase: 'running',
  progress: 100,
  currentStep: null,
  statusMessage: 'the app answers',
  pendingReason: null,
  endpoint: { url: 'http://web.acme.localhost:8080/' },
  healthy: true,
  workflowId: `instance-${INSTANCE_ID}`,
  createdAt: now,
  admittedAt: now,
  updatedAt: now,
  runningSince: now,
  destroyedAt: null,
  actions: { start: false, stop: true, restart: true, cancel: false, destroy: true, commands: true },
  recorded: true,
};

export const billing: Billing = {
  balance: money(42.5),
  credited: money(50),
  used: money(7.5),
  unbilled: money(0.1),
  burnRate: { perHour: money(0.05), perMonth: money(36) },
  runway: { hours: 850, until: new Date(Date.now() + 850 * 3_600_000).toISOString() },
  plan: { code: 'trial', name: 'Trial', paid: false },
  trial: { endsAt: tenant.trialEndsAt, ended: false, daysLeft: 14 },
  status: 'active',
  statusReason: null,
  suspended: false,
  graceUntil: null,
  budget: { thresholds: [75, 90, 100], usedPercent: 15, crossed: [] },
  monthlyBudget: { limit: null, month: new Date().toISOString().slice(0, 7), used: money(7.5), usedPercent: null, thresholds: [50, 80, 100], crossed: [] },
  notices: [],
};

// ---- billing, usage and credentials (dashboard, billing and credentials pages) ----

export const CREDENTIAL_ID = '55555555-5555-4555-8555-555555555555';

export const ledgerEntry: LedgerEntry = {
  id: '101',
  at: now,
  amount: money(-0.05),
  reason: 'usage',
  description: 'Usage of web (docker small)',
  instanceId: INSTANCE_ID,
  windowStart: now,
  windowEnd: now,
};

const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
export const usage: UsageSeries = {
  from: hourAgo,
  to: now,
  granularity: 'hour',
  total: money(0.05),
  series: [{ start: hourAgo, micro: 50_000, credits: 0.05, byInstance: { [INSTANCE_ID]: 50_000 } }],
  instances: [{ id: INSTANCE_ID, name: 'web', provider: 'docker', size: 'small', total: money(0.05) }],
};

export const credential: Credential = {
  id: CREDENTIAL_ID,
  provider: 'azure',
  name: 'prod-subscription',
  publicFields: { tenantId: 'aaaaaaaa-0000-4000-8000-000000000001', clientId: 'aaaaaaaa-0000-4000-8000-000000000002', subscriptionId: 'aaaaaaaa-0000-4000-8000-000000000003' },
  secret: 'stored',
  status: 'unvalidated',
  statusMessage: null,
  lastValidatedAt: null,
  createdAt: now,
};

/** An organization as the partner and operator lists show it. */
export const organizationSummary: TenantSummary = {
  id: TENANT_ID,
  slug: 'acme',
  name: 'Acme',
  status: 'active',
  statusReason: null,
  plan: 'trial',
  partnerId: null,
  balance: money(10),
  instances: { live: 1, provisioning: 1, running: 0 },
  trialEndsAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
  createdAt: new Date(Date.now() - 86_400_000).toISOString(),
};
