// A local Azure for tests and the sandbox stack: Azure Resource Manager + Microsoft Entra ID over
// HTTPS on 127.0.0.1 (self-signed certificate, returned as `caCertPem`), speaking the wire protocol
// the real SDK clients and the real ClientSecretCredential use. Template deployments create their
// resources in memory; a VM with a CustomScript extension serves a real app on a loopback port
// while it runs. Every public IP is 127.0.0.1, so the deployment output `appPort` reports the port
// the VM's app is forwarded from (on Azure the template reports the app's own port).
//
// Test hooks live on the returned handle only; nothing outside the ARM/Entra URL space is served.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ArmError } from './arm-error';
import { authenticate, authorizeSubscription } from './arm-auth';
import { generateLoopbackCertificate } from './certificate';
import { normalizeLocation } from './cloud-catalog';
import { FaultInjector, type Fault, type FaultMatch } from './faults';
import type { SimReply, SimRequest } from './http';
import { matchRoute } from './routes';
import { SimulatorState, type PowerState } from './state';

export interface AzureSimulatorOptions {
  /** Port on 127.0.0.1; random when absent. */
  port?: number;
  /** How long a template deployment takes from Accepted to Succeeded. Default 1500 ms. */
  deploymentDurationMs?: number;
  /** How long a VM start/stop/restart/delete/runCommand or a resource group deletion takes. Default 500 ms. */
  operationDurationMs?: number;
  /** First-boot install: how long after the CustomScript extension the app answers 200. Default 2000 ms; Infinity = never. */
  installDelayMs?: number;
  /** After a later start or restart, how long until the app answers again. Default 300 ms. */
  appStartDelayMs?: number;
  /** Regional vCPU quota of each subscription. Default 20. */
  coreQuota?: number;
}

/** The request log keeps the most recent entries only. */
const REQUEST_LOG_LIMIT = 10_000;

export interface RequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  status: number | 'dropped';
}

export interface ServicePrincipalCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
}

export interface SimulatorSnapshot {
  resourceGroups: { subscriptionId: string; name: string; location: string; tags: Record<string, string>; provisioningState: string; resources: { id: string; type: string; name: string }[] }[];
  deployments: { subscriptionId: string; resourceGroup: string; name: string; provisioningState: string; runs: number }[];
  virtualMachines: { id: string; subscriptionId: string; resourceGroup: string; name: string; vmSize: string; powerState: PowerState; appPort?: number; appServing: boolean; appReady: boolean }[];
}

export interface AzureSimulator extends ServicePrincipalCredentials {
  armEndpoint: string;
  authorityHost: string;
  /** The simulator's certificate: trust it (e.g. AZURE_CA_CERT_FILE) instead of disabling TLS checks. */
  caCertPem: string;
  stop(): Promise<void>;

  // Test hooks ---------------------------------------------------------------------------------
  /** Every request so far (method, path, status), oldest first. Bodies are never recorded. */
  readonly requests: readonly RequestLogEntry[];
  /** The next `times` matching requests fail with this ARM error (before doing anything). */
  failNext(match: FaultMatch, error: { status: number; code: string; message: string; details?: { code: string; message: string }[] }, times?: number): void;
  /** The next `times` matching requests get 429 + Retry-After (before doing anything). */
  throttleNext(match: FaultMatch, opts?: { times?: number; retryAfterSeconds?: number }): void;
  /** The next matching request is carried out, then its connection drops without a response. */
  dropNextResponse(match: FaultMatch, times?: number): void;
  /** The next deployment fails (asynchronously, as DeploymentFailed) when it reaches a resource of this type. */
  failNextDeployment(error: { code: string; message: string }, opts?: { atResourceType?: string }): void;
  /** Faults armed but not yet triggered. */
  readonly pendingFaults: number;
  setInstallDelay(ms: number): void;
  setAppStartDelay(ms: number): void;
  setDurations(d: { deploymentMs?: number; operationMs?: number }): void;
  setCoreQuota(region: string, cores: number): void;
  setSkuAvailable(size: string, region: string, available: boolean): void;
  /** Another tenant/client/subscription, e.g. a customer's own Azure credentials. */
  addServicePrincipal(): ServicePrincipalCredentials;
  inspect(): SimulatorSnapshot;
  clearFaults(): void;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function faultReply(fault: Exclude<Fault, { kind: 'drop-response' }>, principalHint: string): SimReply {
  if (fault.kind === 'throttle') {
    return {
      status: 429,
      headers: { 'retry-after': String(fault.retryAfterSeconds) },
      body: {
        error: {
          code: 'SubscriptionRequestsThrottled',
          message: `Number of requests for subscription '${principalHint}' exceeded the limit. Please try again after '${fault.retryAfterSeconds}' seconds.`,
        },
      },
    };
  }
  return { status: fault.status, body: { error: { code: fault.code, message: fault.message, ...(fault.details ? { details: fault.details } : {}) } } };
}

function send(res: ServerResponse, method: string, reply: SimReply): void {
  const requestId = randomUUID();
  res.statusCode = reply.status;
  res.setHeader('x-ms-request-id', requestId);
  res.setHeader('x-ms-correlation-request-id', requestId);
  res.setHeader('cache-control', 'no-cache');
  res.setHeader(`x-ms-ratelimit-remaining-subscription-${method === 'GET' || method === 'HEAD' ? 'reads' : method === 'DELETE' ? 'deletes' : 'writes'}`, '11999');
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.body === undefined || method === 'HEAD') {
    res.setHeader('content-length', '0');
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

export async function startAzureSimulator(opts: AzureSimulatorOptions = {}): Promise<AzureSimulator> {
  const state = new SimulatorState({
    deploymentDurationMs: opts.deploymentDurationMs ?? 1500,
    operationDurationMs: opts.operationDurationMs ?? 500,
    installDelayMs: opts.installDelayMs ?? 2000,
    appStartDelayMs: opts.appStartDelayMs ?? 300,
    coreQuota: new Map(),
    defaultCoreQuota: opts.coreQuota ?? 20,
    unavailableSkus: new Set(),
  });
  const faults = new FaultInjector();
  const requests: RequestLogEntry[] = [];
  const primary = state.addServicePrincipal();
  const certificate = await generateLoopbackCertificate();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', `https://${req.headers.host ?? '127.0.0.1'}`);
    const path = url.pathname;
    const rawBody = await readBody(req);
    const segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    const simReq: SimRequest = { method, url, segments, headers: req.headers, rawBody, origin: url.origin, params: {} };
    let reply: SimReply;
    const fault = faults.take(method, path, ['error', 'throttle']);
    if (fault && fault.kind !== 'drop-response') {
      reply = faultReply(fault, segments[1] ?? '');
    } else {
      try {
        const matched = matchRoute(method, segments);
        if (!matched) throw new ArmError(404, 'NotFound', `The simulator does not implement ${method} ${path}.`);
        simReq.params = matched.params;
        if (matched.route.arm) {
          simReq.principal = authenticate(state, simReq);
          if (matched.params.sub) authorizeSubscription(state, simReq.principal, matched.params.sub, matched.route.action);
        }
        reply = await matched.route.handler(state, simReq);
      } catch (err) {
        reply = err instanceof ArmError ? { status: err.status, body: err.toBody() } : { status: 500, body: { error: { code: 'InternalServerError', message: (err as Error).message } } };
      }
    }
    const dropped = faults.take(method, path, ['drop-response']) !== undefined;
    requests.push({ method, path, status: dropped ? 'dropped' : reply.status });
    if (requests.length > REQUEST_LOG_LIMIT) requests.splice(0, requests.length - REQUEST_LOG_LIMIT);
    if (dropped) {
      req.socket.destroy();
      return;
    }
    send(res, method, reply);
  }

  const server: Server = createServer({ key: certificate.keyPem, cert: certificate.certPem }, (req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 'GET', { status: 500, body: { error: { code: 'InternalServerError', message: err.message } } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const origin = `https://127.0.0.1:${(server.address() as { port: number }).port}`;

  return {
    armEndpoint: origin,
    authorityHost: origin,
    tenantId: primary.tenantId,
    clientId: primary.clientId,
    clientSecret: primary.clientSecret,
    subscriptionId: primary.subscriptionIds[0],
    caCertPem: certificate.certPem,
    async stop() {
      state.lifetime.abort(new Error('simulator stopped'));
      await Promise.all([...state.vms.values()].map((vm) => vm.app?.shutdown()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    get requests() {
      return requests;
    },
    failNext(match, error, times = 1) {
      faults.add(match, { kind: 'error', ...error }, times);
    },
    throttleNext(match, o = {}) {
      faults.add(match, { kind: 'throttle', retryAfterSeconds: o.retryAfterSeconds ?? 1 }, o.times ?? 1);
    },
    dropNextResponse(match, times = 1) {
      faults.add(match, { kind: 'drop-response' }, times);
    },
    failNextDeployment(error, o = {}) {
      state.deploymentFailures.push({ ...error, atResourceType: o.atResourceType ?? 'Microsoft.Compute/virtualMachines/extensions' });
    },
    get pendingFaults() {
      return faults.pending + state.deploymentFailures.length;
    },
    setInstallDelay(ms) {
      state.settings.installDelayMs = ms;
    },
    setAppStartDelay(ms) {
      state.settings.appStartDelayMs = ms;
    },
    setDurations(d) {
      if (d.deploymentMs !== undefined) state.settings.deploymentDurationMs = d.deploymentMs;
      if (d.operationMs !== undefined) state.settings.operationDurationMs = d.operationMs;
    },
    setCoreQuota(region, cores) {
      state.settings.coreQuota.set(normalizeLocation(region), cores);
    },
    setSkuAvailable(size, region, available) {
      const key = `${size.toLowerCase()}|${normalizeLocation(region)}`;
      if (available) state.settings.unavailableSkus.delete(key);
      else state.settings.unavailableSkus.add(key);
    },
    addServicePrincipal() {
      const p = state.addServicePrincipal();
      return { tenantId: p.tenantId, clientId: p.clientId, clientSecret: p.clientSecret, subscriptionId: p.subscriptionIds[0] };
    },
    inspect() {
      return {
        resourceGroups: [...state.resourceGroups.values()].map((rg) => ({
          subscriptionId: rg.subscriptionId,
          name: rg.name,
          location: rg.location,
          tags: { ...rg.tags },
          provisioningState: rg.provisioningState,
          resources: state.resourcesIn(rg.subscriptionId, rg.name).map((r) => ({ id: r.id, type: r.type, name: r.name })),
        })),
        deployments: [...state.deployments.values()].map((d) => ({
          subscriptionId: d.subscriptionId,
          resourceGroup: d.resourceGroup,
          name: d.name,
          provisioningState: d.provisioningState,
          runs: d.runs,
        })),
        virtualMachines: [...state.vms.values()].map((vm) => ({
          id: vm.id,
          subscriptionId: vm.subscriptionId,
          resourceGroup: vm.resourceGroup,
          name: vm.name,
          vmSize: vm.vmSize,
          powerState: vm.powerState,
          appPort: vm.app?.forwardedPort,
          appServing: vm.app?.listeningPort !== undefined,
          appReady: vm.app?.ready ?? false,
        })),
      };
    },
    clearFaults() {
      faults.clear();
      state.deploymentFailures.length = 0;
    },
  };
}

/**
 * Writes the simulator's CA certificate to `caCertFile` and returns the AZURE_* environment that
 * points the platform at the simulator (npm start, the tests and `main.ts` all use it).
 */
export function azureSimulatorEnv(sim: AzureSimulator, caCertFile: string): Record<string, string> {
  writeFileSync(caCertFile, sim.caCertPem, { mode: 0o644 });
  return {
    AZURE_ARM_ENDPOINT: sim.armEndpoint,
    AZURE_AUTHORITY_HOST: sim.authorityHost,
    AZURE_TENANT_ID: sim.tenantId,
    AZURE_CLIENT_ID: sim.clientId,
    AZURE_CLIENT_SECRET: sim.clientSecret,
    AZURE_SUBSCRIPTION_ID: sim.subscriptionId,
    AZURE_CA_CERT_FILE: caCertFile,
  };
}
