// Who is calling ARM: the bearer token must be one our Entra ID issued and still valid, and the
// principal must have access to the subscription in the path.
import { ArmError, notFound } from './arm-error';
import type { SimRequest } from './http';
import type { ServicePrincipal, SimulatorState } from './state';

export function authenticate(state: SimulatorState, req: SimRequest): ServicePrincipal {
  const header = req.headers.authorization;
  if (!header) throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.");
  const issued = state.tokens.get(match[1]);
  if (!issued) throw new ArmError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
  if (issued.expiresAt <= Date.now()) {
    throw new ArmError(401, 'ExpiredAuthenticationToken', "The access token expiry UTC time is earlier than current UTC time.");
  }
  return issued.principal;
}

/** Throws unless `principal` may act on subscription `sub`. */
export function authorizeSubscription(state: SimulatorState, principal: ServicePrincipal, sub: string, action: string): void {
  const subscription = state.subscriptions.get(sub);
  if (!subscription) throw notFound.subscription(sub);
  if (!principal.subscriptionIds.includes(sub)) {
    throw new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${principal.clientId}' with object id '${principal.clientId}' does not have authorization to perform action '${action}' over scope '/subscriptions/${sub}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  }
}
