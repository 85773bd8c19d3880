// Subscription-level reads a credential check uses: GET /subscriptions, /subscriptions/{id},
// /subscriptions/{id}/locations and /tenants.
import { REGIONS } from './cloud-catalog';
import { json, type SimReply, type SimRequest } from './http';
import type { SimulatorState, SubscriptionRecord } from './state';

function subscriptionBody(s: SubscriptionRecord) {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
    authorizationSource: 'RoleBased',
  };
}

export function getSubscription(state: SimulatorState, req: SimRequest): SimReply {
  // authorizeSubscription already ran for this path, so the subscription exists.
  return json(200, subscriptionBody(state.subscriptions.get(req.params.sub)!));
}

export function listSubscriptions(state: SimulatorState, req: SimRequest): SimReply {
  const ids = req.principal?.subscriptionIds ?? [];
  return json(200, { value: ids.map((id) => state.subscriptions.get(id)).filter((s): s is SubscriptionRecord => !!s).map(subscriptionBody) });
}

export function listLocations(_state: SimulatorState, req: SimRequest): SimReply {
  return json(200, {
    value: REGIONS.map((name) => ({ id: `/subscriptions/${req.params.sub}/locations/${name}`, name, displayName: name, regionalDisplayName: name, type: 'Region' })),
  });
}

export function listTenants(_state: SimulatorState, req: SimRequest): SimReply {
  const tenantId = req.principal?.tenantId;
  return json(200, { value: tenantId ? [{ id: `/tenants/${tenantId}`, tenantId, tenantCategory: 'Home' }] : [] });
}
