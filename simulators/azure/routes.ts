// The URL space the simulator answers: Entra ID (no bearer token) and ARM (bearer token and
// subscription access checked first). ARM paths match case-insensitively, as ARM does.
import { getComputeOperation } from './compute-operations';
import {
  cancelDeployment,
  deleteDeployment,
  getDeployment,
  getDeploymentOperationStatus,
  headDeployment,
  listDeployments,
  putDeployment,
} from './deployments';
import { issueToken, openIdConfiguration, signingKeys } from './entra';
import { deleteGenericResource, getGenericResource, headGenericResource } from './generic-resources';
import type { SimReply, SimRequest } from './http';
import {
  deleteResourceGroup,
  getOperationResult,
  getResourceGroup,
  headResourceGroup,
  listResourceGroups,
  listResourcesInGroup,
  patchResourceGroup,
  putResourceGroup,
} from './resource-groups';
import type { SimulatorState } from './state';
import { getSubscription, listLocations, listSubscriptions, listTenants } from './subscriptions';
import { deleteVm, getVm, getVmInstanceView, postPowerAction, postRunCommand } from './virtual-machines';

export interface Route {
  method: string;
  /** Lower-case literal segments, `:name` captures, `**` = one or more type/name pairs. */
  pattern: string[];
  /** ARM routes need a bearer token; Entra ID routes do not. */
  arm: boolean;
  /** The RBAC action named in an AuthorizationFailed message. */
  action: string;
  handler: (state: SimulatorState, req: SimRequest) => SimReply | Promise<SimReply>;
}

const p = (path: string) => path.split('/').filter(Boolean);
const RG = 'subscriptions/:sub/resourcegroups/:rg';
const DEPLOYMENT = `${RG}/providers/microsoft.resources/deployments/:name`;
const VM = `${RG}/providers/microsoft.compute/virtualmachines/:vm`;

function arm(method: string, path: string, action: string, handler: Route['handler']): Route {
  return { method, pattern: p(path), arm: true, action, handler };
}

export const ROUTES: Route[] = [
  { method: 'GET', pattern: p(':tenant/v2.0/.well-known/openid-configuration'), arm: false, action: '', handler: openIdConfiguration },
  { method: 'POST', pattern: p(':tenant/oauth2/v2.0/token'), arm: false, action: '', handler: issueToken },
  { method: 'GET', pattern: p(':tenant/discovery/v2.0/keys'), arm: false, action: '', handler: () => signingKeys() },

  arm('GET', 'tenants', 'Microsoft.Resources/tenants/read', listTenants),
  arm('GET', 'subscriptions', 'Microsoft.Resources/subscriptions/read', listSubscriptions),
  arm('GET', 'subscriptions/:sub', 'Microsoft.Resources/subscriptions/read', getSubscription),
  arm('GET', 'subscriptions/:sub/locations', 'Microsoft.Resources/subscriptions/locations/read', listLocations),
  arm('GET', 'subscriptions/:sub/operationresults/:op', 'Microsoft.Resources/subscriptions/operationresults/read', getOperationResult),
  arm('GET', 'subscriptions/:sub/providers/microsoft.compute/locations/:loc/operations/:op', 'Microsoft.Compute/locations/operations/read', getComputeOperation),

  arm('GET', 'subscriptions/:sub/resourcegroups', 'Microsoft.Resources/subscriptions/resourceGroups/read', listResourceGroups),
  arm('PUT', RG, 'Microsoft.Resources/subscriptions/resourceGroups/write', putResourceGroup),
  arm('PATCH', RG, 'Microsoft.Resources/subscriptions/resourceGroups/write', patchResourceGroup),
  arm('GET', RG, 'Microsoft.Resources/subscriptions/resourceGroups/read', getResourceGroup),
  arm('HEAD', RG, 'Microsoft.Resources/subscriptions/resourceGroups/read', headResourceGroup),
  arm('DELETE', RG, 'Microsoft.Resources/subscriptions/resourceGroups/delete', deleteResourceGroup),
  arm('GET', `${RG}/resources`, 'Microsoft.Resources/subscriptions/resourceGroups/resources/read', listResourcesInGroup),

  arm('GET', `${RG}/providers/microsoft.resources/deployments`, 'Microsoft.Resources/deployments/read', listDeployments),
  arm('PUT', DEPLOYMENT, 'Microsoft.Resources/deployments/write', putDeployment),
  arm('GET', DEPLOYMENT, 'Microsoft.Resources/deployments/read', getDeployment),
  arm('HEAD', DEPLOYMENT, 'Microsoft.Resources/deployments/read', headDeployment),
  arm('DELETE', DEPLOYMENT, 'Microsoft.Resources/deployments/delete', deleteDeployment),
  arm('POST', `${DEPLOYMENT}/cancel`, 'Microsoft.Resources/deployments/cancel/action', cancelDeployment),
  arm('GET', `${DEPLOYMENT}/operationstatuses/:op`, 'Microsoft.Resources/deployments/operationstatuses/read', getDeploymentOperationStatus),

  arm('GET', VM, 'Microsoft.Compute/virtualMachines/read', getVm),
  arm('DELETE', VM, 'Microsoft.Compute/virtualMachines/delete', deleteVm),
  arm('GET', `${VM}/instanceview`, 'Microsoft.Compute/virtualMachines/instanceView/read', getVmInstanceView),
  arm('POST', `${VM}/start`, 'Microsoft.Compute/virtualMachines/start/action', (s, r) => postPowerAction(s, r, 'start')),
  arm('POST', `${VM}/poweroff`, 'Microsoft.Compute/virtualMachines/powerOff/action', (s, r) => postPowerAction(s, r, 'powerOff')),
  arm('POST', `${VM}/deallocate`, 'Microsoft.Compute/virtualMachines/deallocate/action', (s, r) => postPowerAction(s, r, 'deallocate')),
  arm('POST', `${VM}/restart`, 'Microsoft.Compute/virtualMachines/restart/action', (s, r) => postPowerAction(s, r, 'restart')),
  arm('POST', `${VM}/runcommand`, 'Microsoft.Compute/virtualMachines/runCommand/action', postRunCommand),

  arm('GET', `${RG}/providers/:ns/**`, 'Microsoft.Resources/resources/read', getGenericResource),
  arm('HEAD', `${RG}/providers/:ns/**`, 'Microsoft.Resources/resources/read', headGenericResource),
  arm('DELETE', `${RG}/providers/:ns/**`, 'Microsoft.Resources/resources/delete', deleteGenericResource),
];

/** The first route matching method and path; captures go into the returned params. */
export function matchRoute(method: string, segments: string[]): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const params: Record<string, string> = {};
    const pattern = route.pattern;
    const rest = pattern[pattern.length - 1] === '**';
    const fixed = rest ? pattern.length - 1 : pattern.length;
    if (rest ? segments.length < fixed + 2 || (segments.length - fixed) % 2 !== 0 : segments.length !== fixed) continue;
    let ok = true;
    for (let i = 0; i < fixed && ok; i++) {
      if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = segments[i];
      else ok = pattern[i] === segments[i].toLowerCase();
    }
    if (ok) return { route, params };
  }
  return undefined;
}
