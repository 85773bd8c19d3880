// The Azure compute provider: one resource group per instance, one ARM template deployment in it
// (network + Ubuntu VM + first-boot install of the app), driven through the real Azure SDK.
//
//   prepare          resource group (tags tenant/instance/managed-by)          — idempotent PUT
//   create           start the template deployment, without waiting            — adopts an existing one
//   boot             poll the deployment until Succeeded; record VM id, IP, FQDN
//   install          poll the app's health URL until it answers; return the endpoint
//   releaseCompute   cancel a running deployment, delete the VM and its network, forget the deployment
//   releasePrepared  delete the resource group and wait until Azure has
//   verifyGone       throw (retryably) while the resource group exists
//   start / stop / restart / status / metrics / exec   day-2 operations on the VM
//
// Names come from the instance id (names.ts) and are recorded before each create call, so retries
// and replays adopt what exists. Long waits heartbeat every second and stop on cancellation.
import { ApplicationFailure } from '@temporalio/activity';
import type { DeploymentExtended } from '@azure/arm-resources';
import { CATALOG } from '../../lib/catalog';
import type { PlatformDeps } from '../deps';
import { ErrorType, permanent } from '../failures';
import type { CommandResult, ComputeProvider, InstanceCommand, InstanceTarget, ProviderMetrics, ProviderStatus } from '../providers/contract';
import { readProviderRefs, recordProviderRefs } from '../providers/refs';
import { pause, throwIfCancelled, withHeartbeat } from './activity-context';
import { adminKeyPairFromPrivate, generateAdminKeyPair, type AdminKeyPair } from './admin-key';
import { endpointFrom, healthUrl, probeApp, readOutputs, type DeploymentOutputs } from './app-endpoint';
import { AzureClientCache, createAzureClients, type AzureClients } from './clients';
import { createTokenCredential, identityFromRow, resolveIdentity, type AzureIdentity, type AzurePlatformConfig, type CredentialRow } from './credentials';
import { AzureRequestError, classifyArmError, describeArmError, errorCode, isNotFound, toActivityFailure } from './errors';
import { encodedInstallScript } from './install-script';
import { azureNames, type AzureNames } from './names';
import { COMMAND_SCRIPTS, isInstanceCommand, parseRunCommandResult } from './run-command';
import { APP_VM_TEMPLATE, TEMPLATE_API_VERSIONS, templateParameters, templateResourceNames } from './template';
import { powerStateOf, providerState, provisioningStateOf } from './vm-state';

export type AzureProviderDeps = PlatformDeps & { azure: AzurePlatformConfig };

export interface CredentialVerdict {
  status: 'valid' | 'invalid';
  message?: string;
}

export type AzureProvider = ComputeProvider & {
  /** Checks a tenant's Azure credential against Entra ID and ARM and records the verdict on its row. */
  validateCredential(credentialId: string): Promise<CredentialVerdict>;
};

const DEFAULT_POLL_MS = 2000;
const DEFAULT_PROBE_TIMEOUT_MS = 3000;
const DEFAULT_INSTALL_TIMEOUT_MS = 20 * 60_000;
const ACTIVE_DEPLOYMENT_STATES = new Set(['Accepted', 'Running', 'Creating', 'Updating', 'Waiting', 'Validating', 'Deploying', 'Ready']);

interface Session {
  identity: AzureIdentity;
  clients: AzureClients;
  names: AzureNames;
}

export function createAzureProvider(deps: AzureProviderDeps): AzureProvider {
  const cfg = deps.azure;
  const pollMs = cfg.pollIntervalMs ?? DEFAULT_POLL_MS;
  const probeTimeoutMs = cfg.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const adminUsername = cfg.adminUsername ?? 'azureuser';
  const installTimeoutMs = cfg.installTimeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS;
  const clientCache = new AzureClientCache(cfg);
  const log = deps.log.child({ provider: 'azure' });

  async function session(t: InstanceTarget): Promise<Session> {
    const identity = await resolveIdentity(deps, t);
    return { identity, clients: clientCache.for(identity), names: azureNames(t.instanceId) };
  }

  /** SDK long-running-operation options: our poll interval, and stop when the activity is cancelled. */
  const lro = (signal: AbortSignal | undefined) => ({ updateIntervalInMs: pollMs, abortSignal: signal });

  async function azure<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toActivityFailure(err, what);
    }
  }

  /** Like `azure`, but a 404 (the thing is already gone) resolves to undefined. */
  async function unlessGone<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toActivityFailure(err, what);
    }
  }

  function checkSpec(t: InstanceTarget): void {
    const c = CATALOG.azure;
    const problems = [
      t.provider !== 'azure' && `provider is ${t.provider}`,
      !c.regions.includes(t.spec.region) && `region ${t.spec.region} is not offered`,
      !c.sizes[t.spec.size] && `size ${t.spec.size} is not offered`,
      !c.templates[t.spec.template] && `template ${t.spec.template} is not offered`,
    ].filter(Boolean);
    if (problems.length) throw permanent(ErrorType.Validation, `invalid Azure instance: ${problems.join(', ')}`);
  }

  function tagsFor(t: InstanceTarget): Record<string, string> {
    return { 'managed-by': 'tenantry', tenant: t.tenantId, instance: t.instanceId, 'instance-name': t.name };
  }

  async function readDeployment(s: Session, signal?: AbortSignal): Promise<DeploymentExtended | undefined> {
    try {
      return await s.clients.resources.deployments.get(s.names.resourceGroup, s.names.deployment, { abortSignal: signal });
    } catch (err) {
      const code = errorCode(err);
      if (code === 'DeploymentNotFound') return undefined;
      if (code === 'ResourceGroupNotFound') throw permanent(ErrorType.NotFound, `resource group ${s.names.resourceGroup} does not exist (was prepare run, or was it deleted?)`);
      throw toActivityFailure(err, `reading deployment ${s.names.deployment}`);
    }
  }

  function deploymentFailed(s: Session, d: DeploymentExtended): ApplicationFailure {
    const error = d.properties?.error ?? { code: 'DeploymentFailed', message: 'no error details' };
    // A failed deployment stays failed: not retryable. Quota/auth/validation causes keep their type.
    const type = classifyArmError(error) ?? ErrorType.Conflict;
    return permanent(type, `Azure deployment ${s.names.deployment} failed: ${describeArmError(error)}`, { code: error.code });
  }

  /** The admin key pair this instance was (or will be) deployed with; recorded sealed before use. */
  async function adminKeyFor(t: InstanceTarget, s: Session): Promise<AdminKeyPair> {
    const context = `azure-admin-key:${t.instanceId}`;
    const refs = await readProviderRefs(deps.db, t.instanceId);
    if (refs.adminKeySealed) {
      try {
        return adminKeyPairFromPrivate(deps.secrets.open(refs.adminKeySealed, context), `${adminUsername}@${s.names.vm}`);
      } catch {
        log.warn({ instanceId: t.instanceId }, 'recorded admin key cannot be opened; generating a new one');
      }
    }
    const pair = await generateAdminKeyPair(`${adminUsername}@${s.names.vm}`);
    await recordProviderRefs(deps.db, t.instanceId, { adminKeySealed: deps.secrets.seal(pair.privateKeyPem, context) });
    return pair;
  }

  async function powerAction(s: Session, action: 'start' | 'deallocate' | 'restart', signal: AbortSignal | undefined): Promise<void> {
    const { resourceGroup: rg, vm } = s.names;
    const vms = s.clients.compute.virtualMachines;
    try {
      if (action === 'start') await vms.beginStartAndWait(rg, vm, lro(signal));
      else if (action === 'deallocate') await vms.beginDeallocateAndWait(rg, vm, lro(signal));
      else await vms.beginRestartAndWait(rg, vm, lro(signal));
    } catch (err) {
      if (isNotFound(err)) throw permanent(ErrorType.NotFound, `VM ${vm} does not exist in resource group ${rg}`);
      throw toActivityFailure(err, `${action} of VM ${vm}`);
    }
    log.info({ vm, action }, 'azure vm power action done');
  }

  async function instanceViewOrMissing(s: Session, signal: AbortSignal | undefined) {
    return unlessGone(`reading VM ${s.names.vm}`, () => s.clients.compute.virtualMachines.instanceView(s.names.resourceGroup, s.names.vm, { abortSignal: signal }));
  }

  type Progress = Record<string, string | number | undefined>;

  /**
   * One provider operation on an instance: resolves whose Azure it lives in, heartbeats
   * `{step, ...progress}` every second throughout (SDK retries after 429s can take a while) and
   * hands the cancellation signal to the work.
   */
  function operation<T>(step: string, t: InstanceTarget, work: (s: Session, signal: AbortSignal | undefined, progress: Progress) => Promise<T>): Promise<T> {
    const progress: Progress = { resourceGroup: azureNames(t.instanceId).resourceGroup };
    return withHeartbeat(
      () => ({ step, ...progress }),
      async (signal) => work(await session(t), signal, progress),
    );
  }

  const provider: AzureProvider = {
    prepare: (t) =>
      operation('prepare', t, async (s, signal) => {
        checkSpec(t);
        const rg = s.names.resourceGroup;
        await recordProviderRefs(deps.db, t.instanceId, { subscriptionId: s.identity.subscriptionId, resourceGroup: rg });
        // A group of that name that is not ours (a clash) must not be adopted: releasePrepared would delete it.
        const existing = await unlessGone(`reading resource group ${rg}`, () => s.clients.resources.resourceGroups.get(rg, { abortSignal: signal }));
        if (existing && existing.tags?.instance !== t.instanceId) {
          throw permanent(ErrorType.Conflict, `resource group ${rg} already exists and does not belong to instance ${t.instanceId}`);
        }
        await azure(`creating resource group ${rg}`, () => s.clients.resources.resourceGroups.createOrUpdate(rg, { location: t.spec.region, tags: tagsFor(t) }, { abortSignal: signal }));
        log.info({ instanceId: t.instanceId, resourceGroup: rg, region: t.spec.region, credential: s.identity.source }, 'azure resource group ready');
        return { refs: { subscriptionId: s.identity.subscriptionId, resourceGroup: rg }, message: `resource group ${rg} ready in ${t.spec.region}` };
      }),

    create: (t) =>
      operation('create', t, async (s, signal, progress) => {
        checkSpec(t);
        const { resourceGroup: rg, deployment, vm } = s.names;
        progress.deployment = deployment;
        const refs = { deployment, vm };
        const existing = await readDeployment(s, signal);
        if (existing) {
          log.info({ instanceId: t.instanceId, deployment, state: existing.properties?.provisioningState }, 'azure deployment adopted');
          return { refs, message: `deployment ${deployment} already exists (${existing.properties?.provisioningState ?? 'unknown'}); adopted` };
        }
        const key = await adminKeyFor(t, s);
        await recordProviderRefs(deps.db, t.instanceId, refs);
        const parameters = templateParameters({
          vmName: vm,
          dnsLabel: s.names.dnsLabel,
          adminUsername,
          adminPublicKey: key.publicKeyOpenSsh,
          installScript: encodedInstallScript(t.spec),
          spec: t.spec,
          tags: tagsFor(t),
        });
        let adopted = false;
        try {
          // begin… sends the PUT (and one status poll) and returns; boot does the waiting.
          const body = { properties: { mode: 'Incremental' as const, template: APP_VM_TEMPLATE, parameters } };
          await s.clients.resources.deployments.beginCreateOrUpdate(rg, deployment, body, { updateIntervalInMs: pollMs, abortSignal: signal });
        } catch (err) {
          const code = errorCode(err);
          if (code === 'ResourceGroupNotFound') throw permanent(ErrorType.NotFound, `resource group ${rg} does not exist (was prepare run, or was it deleted?)`);
          // Our own earlier PUT got through (its response was lost and the SDK retried): adopt it.
          if (code !== 'DeploymentActiveAndUneditable') throw toActivityFailure(err, `starting deployment ${deployment}`);
          adopted = true;
        }
        log.info({ instanceId: t.instanceId, deployment, vm, size: t.spec.size, region: t.spec.region, adopted }, 'azure deployment started');
        return {
          refs,
          message: adopted ? `deployment ${deployment} was already running; adopted` : `deployment ${deployment} started: VM ${vm} (${t.spec.size}) in ${t.spec.region}`,
        };
      }),

    boot: (t) =>
      operation('boot', t, async (s, signal, progress) => {
        progress.deployment = s.names.deployment;
        let succeeded: DeploymentExtended;
        for (;;) {
          const d = await readDeployment(s, signal);
          if (!d) throw permanent(ErrorType.NotFound, `deployment ${s.names.deployment} does not exist (was create run?)`);
          const state = d.properties?.provisioningState ?? 'unknown';
          progress.state = state;
          if (state === 'Succeeded') {
            succeeded = d;
            break;
          }
          if (state === 'Failed') throw deploymentFailed(s, d);
          if (state === 'Canceled') throw permanent(ErrorType.Conflict, `Azure deployment ${s.names.deployment} was canceled`);
          await pause(pollMs);
        }
        const outputs = readOutputs(succeeded.properties?.outputs);
        const refs: Record<string, string> = {};
        if (outputs.vmId) refs.vmId = outputs.vmId;
        if (outputs.publicIp) refs.publicIp = outputs.publicIp;
        if (outputs.fqdn) refs.fqdn = outputs.fqdn;
        if (outputs.appPort) refs.appPort = String(outputs.appPort);
        await recordProviderRefs(deps.db, t.instanceId, refs);
        log.info({ instanceId: t.instanceId, vm: s.names.vm, ...refs }, 'azure deployment succeeded');
        return { refs, endpoint: endpointFrom(outputs, t), message: `VM ${s.names.vm} is running at ${outputs.publicIp ?? outputs.fqdn ?? 'an unknown address'}` };
      }),

    install: (t) =>
      operation('install', t, async (s, signal, progress) => {
        const d = await readDeployment(s, signal);
        if (!d) throw permanent(ErrorType.NotFound, `deployment ${s.names.deployment} does not exist (was create run?)`);
        if (d.properties?.provisioningState !== 'Succeeded') {
          throw new AzureRequestError(`deployment ${s.names.deployment} is ${d.properties?.provisioningState ?? 'unknown'}, not Succeeded yet`);
        }
        const endpoint = endpointFrom(readOutputs(d.properties.outputs), t);
        const url = healthUrl(endpoint, t);
        if (!url) throw permanent(ErrorType.Conflict, `deployment ${s.names.deployment} reports no public IP; the app cannot be reached`);
        progress.url = url;
        const deadline = Date.now() + installTimeoutMs;
        for (;;) {
          const probe = await probeApp(url, probeTimeoutMs, signal);
          progress.last = probe.detail;
          if (probe.healthy) break;
          throwIfCancelled();
          if (Date.now() > deadline) throw new AzureRequestError(`the app at ${url} did not answer within ${Math.round(installTimeoutMs / 1000)} s (last: ${probe.detail})`);
          await pause(pollMs);
        }
        log.info({ instanceId: t.instanceId, url: endpoint.url }, 'azure app answers');
        return { endpoint, message: `the app answers at ${endpoint.url}` };
      }),

    releaseCompute: (t) =>
      operation('releaseCompute', t, async (s, signal, progress) => {
        const { resourceGroup: rg, deployment, vm } = s.names;
        const exists = await azure(`checking resource group ${rg}`, () => s.clients.resources.resourceGroups.checkExistence(rg, { abortSignal: signal }));
        if (!exists.body) return { message: `nothing to release: resource group ${rg} does not exist` };
        // A deployment still running would go on creating resources behind our back: cancel it first.
        progress.deleting = `deployment ${deployment}`;
        const readIt = () => unlessGone(`reading deployment ${deployment}`, () => s.clients.resources.deployments.get(rg, deployment, { abortSignal: signal }));
        let d = await readIt();
        if (d && ACTIVE_DEPLOYMENT_STATES.has(d.properties?.provisioningState ?? '')) {
          await s.clients.resources.deployments.cancel(rg, deployment, { abortSignal: signal }).catch((err: unknown) => {
            if (errorCode(err) !== 'DeploymentCannotBeCancelled' && !isNotFound(err)) throw toActivityFailure(err, `canceling deployment ${deployment}`);
          });
          while (d && ACTIVE_DEPLOYMENT_STATES.has(d.properties?.provisioningState ?? '')) {
            await pause(pollMs);
            d = await readIt();
          }
        }
        // The VM takes its OS disk, NIC and public IP with it (deleteOption: Delete in the template).
        progress.deleting = `VM ${vm}`;
        await unlessGone(`deleting VM ${vm}`, () => s.clients.compute.virtualMachines.beginDeleteAndWait(rg, vm, lro(signal)));
        // Whatever is left (e.g. from a partial deployment), users before what they use.
        const names = templateResourceNames(vm);
        const leftovers: [string, string][] = [
          ['Microsoft.Network/networkInterfaces', names.nic],
          ['Microsoft.Network/publicIPAddresses', names.publicIp],
          ['Microsoft.Network/networkSecurityGroups', names.nsg],
          ['Microsoft.Network/virtualNetworks', names.vnet],
          ['Microsoft.Compute/disks', names.osDisk],
        ];
        for (const [type, name] of leftovers) {
          progress.deleting = `${type} ${name}`;
          // No leading slash: the SDK's "/{resourceId}" path would otherwise start with "//".
          const id = `subscriptions/${s.identity.subscriptionId}/resourceGroups/${rg}/providers/${type}/${name}`;
          await unlessGone(`deleting ${type} ${name}`, () => s.clients.resources.resources.beginDeleteByIdAndWait(id, TEMPLATE_API_VERSIONS[type], lro(signal)));
        }
        // Forget the deployment too, so a later create starts a fresh one instead of adopting this.
        progress.deleting = `deployment ${deployment}`;
        await unlessGone(`deleting deployment ${deployment}`, () => s.clients.resources.deployments.beginDeleteAndWait(rg, deployment, lro(signal)));
        log.info({ instanceId: t.instanceId, vm, resourceGroup: rg }, 'azure compute released');
        return { message: `VM ${vm} and its network resources deleted` };
      }),

    releasePrepared: (t) =>
      operation('releasePrepared', t, async (s, signal) => {
        const rg = s.names.resourceGroup;
        const group = await unlessGone(`reading resource group ${rg}`, () => s.clients.resources.resourceGroups.get(rg, { abortSignal: signal }));
        if (!group) return { message: `resource group ${rg} already gone` };
        // Never delete a group this instance did not create (a name clash with someone else's).
        if (group.tags?.instance !== t.instanceId) {
          throw permanent(ErrorType.Conflict, `resource group ${rg} is not tagged as instance ${t.instanceId}; refusing to delete it`);
        }
        await unlessGone(`deleting resource group ${rg}`, () => s.clients.resources.resourceGroups.beginDeleteAndWait(rg, lro(signal)));
        log.info({ instanceId: t.instanceId, resourceGroup: rg }, 'azure resource group deleted');
        return { message: `resource group ${rg} deleted` };
      }),

    verifyGone: (t) =>
      operation('verifyGone', t, async (s, signal) => {
        const rg = s.names.resourceGroup;
        const exists = await azure(`checking resource group ${rg}`, () => s.clients.resources.resourceGroups.checkExistence(rg, { abortSignal: signal }));
        if (exists.body) throw new AzureRequestError(`resource group ${rg} still exists in subscription ${s.identity.subscriptionId}`);
        return { message: `resource group ${rg} is gone` };
      }),

    start: (t) =>
      operation('start', t, async (s, signal) => {
        await powerAction(s, 'start', signal);
        return { message: `VM ${s.names.vm} started` };
      }),

    // Deallocate, not power off: a powered-off VM keeps its hardware and is still billed for compute.
    stop: (t) =>
      operation('stop', t, async (s, signal) => {
        await powerAction(s, 'deallocate', signal);
        return { message: `VM ${s.names.vm} deallocated: compute is no longer billed (its disk and public IP still are)` };
      }),

    restart: (t) =>
      operation('restart', t, async (s, signal) => {
        const view = await instanceViewOrMissing(s, signal);
        if (!view) throw permanent(ErrorType.NotFound, `VM ${s.names.vm} does not exist`);
        // Azure refuses to restart a deallocated VM; restarting a stopped instance means starting it.
        const running = powerStateOf(view) === 'running';
        await powerAction(s, running ? 'restart' : 'start', signal);
        return { message: `VM ${s.names.vm} ${running ? 'restarted' : 'started'}` };
      }),

    status: (t) =>
      operation('status', t, async (s, signal): Promise<ProviderStatus> => {
        const view = await instanceViewOrMissing(s, signal);
        if (!view) return { state: 'missing', detail: `VM ${s.names.vm} does not exist` };
        const state = providerState(view);
        const power = powerStateOf(view) ?? provisioningStateOf(view) ?? 'unknown';
        if (state !== 'running') return { state, detail: `VM ${power}` };
        const refs = await readProviderRefs(deps.db, t.instanceId);
        let outputs: DeploymentOutputs | undefined = refs.publicIp && refs.appPort ? { publicIp: refs.publicIp, fqdn: refs.fqdn, appPort: Number(refs.appPort) } : undefined;
        if (!outputs) outputs = readOutputs((await readDeployment(s, signal))?.properties?.outputs);
        const url = healthUrl(endpointFrom(outputs, t), t);
        if (!url) return { state, detail: 'VM running; app address unknown' };
        const probe = await probeApp(url, probeTimeoutMs, signal);
        return { state, healthy: probe.healthy, detail: `VM running; app ${probe.detail}` };
      }),

    // Only the power state: the instance view carries no usage counters. CPU, network and memory
    // live in Azure Monitor (Microsoft.Insights/metrics, minutes behind), whose SDK is not a dependency.
    metrics: (t) =>
      operation('metrics', t, async (s, signal): Promise<ProviderMetrics> => {
        const view = await instanceViewOrMissing(s, signal);
        return { at: new Date().toISOString(), status: view ? providerState(view) : 'missing' };
      }),

    exec: (t, command: InstanceCommand) =>
      operation('exec', t, async (s, signal, progress): Promise<CommandResult> => {
        if (!isInstanceCommand(command)) throw permanent(ErrorType.Validation, `unknown command '${String(command)}'`);
        progress.command = command;
        const { resourceGroup: rg, vm } = s.names;
        const view = await instanceViewOrMissing(s, signal);
        if (!view) throw permanent(ErrorType.NotFound, `VM ${vm} does not exist`);
        const power = powerStateOf(view);
        if (power !== 'running') throw permanent(ErrorType.Conflict, `VM ${vm} is ${power ?? 'not running'}; start it to run commands`);
        const result = await azure(`running '${command}' on VM ${vm}`, () =>
          s.clients.compute.virtualMachines.beginRunCommandAndWait(rg, vm, { commandId: 'RunShellScript', script: COMMAND_SCRIPTS[command] }, lro(signal)),
        );
        const parsed = parseRunCommandResult(result.value);
        log.info({ instanceId: t.instanceId, vm, command, exitCode: parsed.exitCode }, 'azure run command done');
        return parsed;
      }),

    validateCredential: (credentialId) =>
      withHeartbeat(
        () => ({ step: 'validateCredential', credentialId }),
        async () => {
          const row = await deps.db.providerCredential.findUnique({ where: { id: credentialId } });
          if (!row) throw permanent(ErrorType.NotFound, `credential ${credentialId} does not exist`);
          if (row.provider !== 'azure') throw permanent(ErrorType.Validation, `credential ${credentialId} is for ${row.provider}, not Azure`);
          const verdict = await checkCredential(row);
          await deps.db.providerCredential.update({
            where: { id: credentialId },
            data: { status: verdict.status, statusMessage: verdict.message ?? null, lastValidatedAt: new Date() },
          });
          log.info({ credentialId, tenantId: row.tenantId, status: verdict.status }, 'azure credential validated');
          return verdict;
        },
      ),
  };

  /** Signs in and reads the subscription with a fresh client; transient trouble throws (retry). */
  async function checkCredential(row: CredentialRow): Promise<CredentialVerdict> {
    let identity: AzureIdentity;
    let clients: AzureClients;
    try {
      identity = identityFromRow(deps, row);
      clients = createAzureClients(cfg, createTokenCredential(cfg, identity), identity.subscriptionId);
    } catch (err) {
      const reason = (err as Error).name === 'ZodError' ? 'tenantId, clientId and subscriptionId are required' : (err as Error).message.split('\n')[0];
      return { status: 'invalid', message: `credential unusable: ${reason}` };
    }
    try {
      const sub = await clients.subscriptions.subscriptions.get(identity.subscriptionId);
      if (sub.state !== 'Enabled') return { status: 'invalid', message: `subscription ${identity.subscriptionId} is ${sub.state ?? 'not enabled'}` };
      return { status: 'valid', message: `signed in; subscription '${sub.displayName ?? identity.subscriptionId}' is enabled` };
    } catch (err) {
      const failure = toActivityFailure(err, `checking subscription ${identity.subscriptionId}`);
      if (failure instanceof ApplicationFailure && failure.nonRetryable) return { status: 'invalid', message: failure.message };
      throw failure;
    }
  }

  return provider;
}

