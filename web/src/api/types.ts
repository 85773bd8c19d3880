// Names for the API's shapes, taken from the generated schema (schema.gen.ts), so the console cannot
// drift from what the server answers.
import type { paths } from './schema.gen';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<R> = R extends Record<number, unknown> ? Json<R[Extract<keyof R, 200 | 201 | 202>]> : never;

/** The success body of `method path`, e.g. `Answer<'/me', 'get'>`. */
export type Answer<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch' | 'delete'> = paths[P][M] extends { responses: infer R } ? Ok<R> : never;
/** The JSON body `method path` accepts. */
export type RequestBody<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Me = Answer<'/me', 'get'>;
export type Membership = Me['memberships'][number];
export type Tenant = Answer<'/tenants/{tenantId}', 'get'>;
export type Plan = Answer<'/plans', 'get'>['plans'][number];
export type ProviderInfo = Answer<'/providers', 'get'>['providers'][number];
export type ProviderName = ProviderInfo['name'];
export type Instance = Answer<'/instances/{instanceId}', 'get'>;
export type InstancePhase = Instance['phase'];
export type InstanceEvent = Answer<'/instances/{instanceId}/log', 'get'>['items'][number];
export type InstanceMetrics = Answer<'/instances/{instanceId}/metrics', 'get'>;
export type Billing = Answer<'/tenants/{tenantId}/billing', 'get'>;
export type Money = Billing['balance'];
export type LedgerEntry = Answer<'/tenants/{tenantId}/billing/ledger', 'get'>['items'][number];
export type UsageSeries = Answer<'/tenants/{tenantId}/billing/usage', 'get'>;
export type Estimate = Answer<'/tenants/{tenantId}/billing/estimate', 'post'>;
export type Credential = Answer<'/tenants/{tenantId}/credentials', 'get'>['items'][number];
export type Member = Answer<'/tenants/{tenantId}/members', 'get'>['items'][number];
export type Invitation = Answer<'/tenants/{tenantId}/invitations', 'get'>['items'][number];
export type Site = Answer<'/tenants/{tenantId}/sites', 'get'>['items'][number];
export type ApiKey = Answer<'/tenants/{tenantId}/api-keys', 'get'>['items'][number];
export type AuditEntry = Answer<'/tenants/{tenantId}/audit', 'get'>['items'][number];
export type TenantSummary = Answer<'/admin/tenants', 'get'>['items'][number];
export type Operation = Answer<'/admin/operations', 'get'>['items'][number];
export type PlatformHealth = Answer<'/admin/health', 'get'>;
export type SignupState = Answer<'/auth/signup/{workflowId}', 'get'>;
export type PartnerSummary = Answer<'/admin/partners', 'get'>['items'][number];
