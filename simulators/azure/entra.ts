// A fake Microsoft Entra ID (the authority the real ClientSecretCredential/MSAL talks to): OpenID
// discovery and the v2.0 token endpoint for the client-credentials grant. Wrong secrets, unknown
// clients and unknown tenants fail with the AADSTS errors Entra ID returns.
import { randomBytes, randomUUID } from 'node:crypto';
import { json, type SimReply, type SimRequest } from './http';
import type { SimulatorState } from './state';

const TOKEN_LIFETIME_SECONDS = 3599;

function aadError(status: number, error: string, code: number, description: string): SimReply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z';
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

const unknownTenant = (tenant: string) =>
  aadError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);

export function openIdConfiguration(state: SimulatorState, req: SimRequest): SimReply {
  const tenant = req.params.tenant;
  if (!state.principals.some((p) => p.tenantId === tenant)) return unknownTenant(tenant);
  const base = `${req.origin}/${tenant}`;
  return json(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    tenant_region_scope: 'NA',
    cloud_instance_name: 'simulator.local',
    cloud_graph_host_name: 'graph.simulator.local',
    msgraph_host: 'graph.simulator.local',
  });
}

export function signingKeys(): SimReply {
  return json(200, { keys: [] });
}

export function issueToken(state: SimulatorState, req: SimRequest): SimReply {
  const tenant = req.params.tenant;
  if (!state.principals.some((p) => p.tenantId === tenant)) return unknownTenant(tenant);
  const form = new URLSearchParams(req.rawBody);
  const grantType = form.get('grant_type');
  const clientId = form.get('client_id') ?? '';
  const scope = form.get('scope') ?? '';
  if (grantType !== 'client_credentials') {
    return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`);
  }
  const principal = state.principals.find((p) => p.tenantId === tenant && p.clientId === clientId);
  if (!principal) {
    return aadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  if (form.get('client_secret') !== principal.clientSecret) {
    return aadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    );
  }
  if (!scope.split(' ').some((s) => s.endsWith('/.default'))) {
    return aadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  for (const [old, issued] of state.tokens) if (issued.expiresAt <= Date.now()) state.tokens.delete(old);
  const token = `sim.${randomBytes(24).toString('base64url')}`;
  state.tokens.set(token, { principal, expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000 });
  return json(200, { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS, ext_expires_in: TOKEN_LIFETIME_SECONDS, access_token: token });
}
