// The Azure provider end to end through the real Azure SDK clients and a real ClientSecretCredential,
// against our ARM + Entra ID simulator over HTTPS (trusted via its CA certificate, TLS checks on),
// with instances and credentials as rows in a real Postgres. The VM's app is a real HTTP server.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { ResourceManagementClient } from '@azure/arm-resources';
import { ClientSecretCredential } from '@azure/identity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureProvider, type AzureProvider } from '../../activities/azure';
import { azureNames } from '../../activities/azure/names';
import type { InstanceCommand, InstanceTarget } from '../../activities/providers/contract';
import { readProviderRefs } from '../../activities/providers/refs';
import { resolveSpec } from '../../lib/catalog';
import { createDb, type Db } from '../../lib/db';
import { createSecretBox, type SecretBox } from '../../lib/secrets';
import { startAzureSimulator, type AzureSimulator, type ServicePrincipalCredentials } from '../../simulators/azure/server';
import { waitFor } from '../helpers/http';
import { freshDatabase } from '../helpers/stack';

let sim: AzureSimulator;
let db: Db;
let secrets: SecretBox;
let provider: AzureProvider;
const logLines: string[] = [];
/** Everything the provider handed back (outcomes, statuses, heartbeats), checked for secrets. */
const returned: unknown[] = [];

beforeAll(async () => {
  sim = await startAzureSimulator({ deploymentDurationMs: 400, operationDurationMs: 150, installDelayMs: 600, appStartDelayMs: 100 });
  db = createDb(await freshDatabase('azure'), { maxConnections: 4 });
  secrets = createSecretBox([randomBytes(32)]);
  const log = pino(
    { level: 'trace' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );
  provider = createAzureProvider({
    db,
    secrets,
    log,
    azure: {
      tenantId: sim.tenantId,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      subscriptionId: sim.subscriptionId,
      armEndpoint: sim.armEndpoint,
      authorityHost: sim.authorityHost,
      caCertPem: sim.caCertPem,
      pollIntervalMs: 50,
      probeTimeoutMs: 1000,
    },
  });
});

afterAll(async () => {
  await sim?.stop();
  await db?.$disconnect();
});

async function newTenant(): Promise<string> {
  const id = randomUUID();
  await db.tenant.create({ data: { id, slug: `az-${id.slice(0, 8)}`, name: 'Azure test', planCode: 'trial', status: 'active', trialEndsAt: new Date(Date.now() + 86_400_000) } });
  return id;
}

async function newInstance(o: { tenantId?: string; size?: string; region?: string; credentialId?: string } = {}): Promise<InstanceTarget> {
  const tenantId = o.tenantId ?? (await newTenant());
  const resolved = resolveSpec('azure', { size: o.size, region: o.region });
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
  const spec = resolved.spec;
  const instanceId = randomUUID();
  await db.instance.create({
    data: { id: instanceId, tenantId, name: 'app', provider: 'azure', template: spec.template, size: spec.size, region: spec.region, spec: { ...spec }, workflowId: `instance-${instanceId}` },
  });
  return { instanceId, tenantId, tenantSlug: `az-${tenantId.slice(0, 8)}`, name: 'app', provider: 'azure', spec, credentialId: o.credentialId ?? null };
}

async function newCredential(tenantId: string, principal: ServicePrincipalCredentials, clientSecret: string, name: string): Promise<string> {
  const id = randomUUID();
  await db.providerCredential.create({
    data: {
      id,
      tenantId,
      provider: 'azure',
      name,
      publicFields: { tenantId: principal.tenantId, clientId: principal.clientId, subscriptionId: principal.subscriptionId },
      secretCiphertext: secrets.seal(clientSecret, `credential:${id}`),
    },
  });
  return id;
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const activityEnvironment = () => new MockActivityEnvironment(undefined, { logger: quietLogger });

/** Runs a provider operation inside a (mock) activity, collecting its heartbeats. */
async function inActivity<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<{ result: R; heartbeats: unknown[] }> {
  const env = activityEnvironment();
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => heartbeats.push(d));
  const result = (await env.run(fn, ...args)) as R;
  returned.push(result, heartbeats);
  return { result, heartbeats };
}

async function keep<T>(p: Promise<T>): Promise<T> {
  const v = await p;
  returned.push(v);
  return v;
}

async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

/** The test's own ARM client (the platform's service principal), to look at Azure directly. */
function armClient(): ResourceManagementClient {
  const credential = new ClientSecretCredential(sim.tenantId, sim.clientId, sim.clientSecret, {
    authorityHost: sim.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: [sim.caCertPem] },
  });
  return new ResourceManagementClient(credential, sim.subscriptionId, { endpoint: sim.armEndpoint, tlsOptions: { ca: [sim.caCertPem] } });
}

const rgOf = (t: InstanceTarget) => azureNames(t.instanceId).resourceGroup;
const vmsIn = (rg: string) => sim.inspect().virtualMachines.filter((vm) => vm.resourceGroup === rg);
const groupOf = (rg: string) => sim.inspect().resourceGroups.find((g) => g.name === rg);
const refused = (url: string) => fetch(url).then(
  () => false,
  () => true,
);

describe('Azure provider against the ARM simulator', () => {
  it('provisions, serves, stops, starts, restarts, runs commands and releases an instance end to end', async () => {
    const t = await newInstance({ size: 'Standard_B1s' });
    const rg = rgOf(t);

    const prepared = await keep(provider.prepare(t));
    expect(prepared.refs).toEqual({ subscriptionId: sim.subscriptionId, resourceGroup: rg });
    expect(groupOf(rg)).toMatchObject({ location: 'eastus', tags: { 'managed-by': 'tenantry', tenant: t.tenantId, instance: t.instanceId } });

    const created = await keep(provider.create(t));
    expect(created.refs).toEqual({ deployment: `${rg}-app`, vm: azureNames(t.instanceId).vm });

    const boot = await inActivity(provider.boot, t);
    expect(boot.heartbeats[0]).toEqual({ step: 'boot', resourceGroup: rg });
    expect(boot.result.refs).toMatchObject({ publicIp: '127.0.0.1', fqdn: `${rg}.eastus.cloudapp.azure.com`, vmId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(vmsIn(rg)).toMatchObject([{ name: azureNames(t.instanceId).vm, vmSize: 'Standard_B1s', powerState: 'running' }]);

    const install = await inActivity(provider.install, t);
    const url = install.result.endpoint!.url!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(install.result.endpoint).toMatchObject({ ip: '127.0.0.1', fqdn: `${rg}.eastus.cloudapp.azure.com`, ssh: `ssh azureuser@${rg}.eastus.cloudapp.azure.com` });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(await keep(provider.status(t))).toMatchObject({ state: 'running', healthy: true });

    // Azure's record of the deployment never shows the securestring parameters (admin key, script).
    const record = await armClient().deployments.get(rg, `${rg}-app`);
    expect(record.properties?.parameters).toMatchObject({ adminPasswordOrKey: { type: 'SecureString' }, installScript: { type: 'SecureString' } });
    expect(JSON.stringify(record)).not.toContain('ssh-rsa');

    const stopped = await keep(provider.stop(t));
    expect(stopped.message).toContain('deallocated');
    expect(vmsIn(rg)[0].powerState).toBe('deallocated');
    expect(await keep(provider.status(t))).toMatchObject({ state: 'stopped' });
    expect(await refused(`${url}/health`)).toBe(true);

    await keep(provider.start(t));
    await waitFor('app back after start', async () => (await provider.status(t)).healthy);
    expect((await fetch(`${url}/health`)).status).toBe(200);

    const restarted = await keep(provider.restart(t));
    expect(restarted.message).toContain('restarted');
    expect(await keep(provider.metrics(t))).toMatchObject({ status: 'running' });

    const uptime = await keep(provider.exec(t, 'uptime'));
    expect(uptime).toMatchObject({ exitCode: 0, truncated: false });
    expect(uptime.output).toMatch(/up \d+ min,.*load average/);
    const sysinfo = await keep(provider.exec(t, 'sysinfo'));
    expect(sysinfo.output).toContain('Ubuntu 24.04');
    expect(sysinfo.output).toContain(azureNames(t.instanceId).vm);
    const bogus = await failureOf(provider.exec(t, 'rm -rf /' as InstanceCommand));
    expect(bogus).toMatchObject({ type: 'ValidationError', nonRetryable: true });

    await keep(provider.releaseCompute(t));
    expect(vmsIn(rg)).toEqual([]);
    expect(groupOf(rg)?.resources).toEqual([]);
    expect(await refused(`${url}/health`)).toBe(true);
    await expect(provider.verifyGone(t)).rejects.toThrow(/still exists/);

    await keep(provider.releasePrepared(t));
    expect(groupOf(rg)).toBeUndefined();
    expect((await keep(provider.verifyGone(t))).message).toContain('is gone');
    // Releasing again is a no-op, never a failure.
    expect((await keep(provider.releaseCompute(t))).message).toContain('nothing to release');
    expect((await keep(provider.releasePrepared(t))).message).toContain('already gone');

    // No secret leaks: the client secret and the VM's private key are in no log line, outcome or
    // heartbeat, and the key is recorded only sealed.
    const refs = await readProviderRefs(db, t.instanceId);
    const privateKey = secrets.open(refs.adminKeySealed, `azure-admin-key:${t.instanceId}`);
    expect(privateKey).toContain('BEGIN RSA PRIVATE KEY');
    const keyLine = privateKey.split('\n')[3];
    const logs = logLines.join('');
    expect(logs).toContain('azure deployment started');
    for (const haystack of [logs, JSON.stringify(returned), JSON.stringify(refs)]) {
      expect(haystack).not.toContain(sim.clientSecret);
      expect(haystack).not.toContain(keyLine);
    }
  });

  it('create is idempotent: twice, and after a lost response, leaves one deployment and one VM', async () => {
    const t = await newInstance();
    const rg = rgOf(t);
    await provider.prepare(t);
    await provider.create(t);
    const again = await keep(provider.create(t));
    expect(again.message).toContain('adopted');
    const deploymentPuts = (g: string) => sim.requests.filter((r) => r.method === 'PUT' && r.path.toLowerCase().includes(`/resourcegroups/${g}/providers/microsoft.resources/deployments/`));
    expect(deploymentPuts(rg)).toHaveLength(1);
    await provider.boot(t);
    expect(vmsIn(rg)).toHaveLength(1);

    // The PUT is carried out but its response is lost. The SDK retries the PUT, ARM answers 409
    // DeploymentActiveAndUneditable (ours is still running), and the provider adopts it.
    const u = await newInstance();
    const rgU = rgOf(u);
    await provider.prepare(u);
    sim.setDurations({ deploymentMs: 4000 });
    sim.dropNextResponse({ method: 'PUT', path: `/resourcegroups/${rgU}/providers/Microsoft.Resources/deployments/` });
    const adopted = await keep(provider.create(u));
    sim.setDurations({ deploymentMs: 400 });
    expect(adopted.message).toContain('already running; adopted');
    expect(deploymentPuts(rgU).map((r) => r.status)).toEqual(['dropped', 409]);
    // A replay of the activity later adopts as well.
    expect((await provider.create(u)).message).toContain('adopted');
    await provider.boot(u);
    expect(sim.inspect().deployments.filter((d) => d.resourceGroup === rgU)).toMatchObject([{ runs: 1, provisioningState: 'Succeeded' }]);
    expect(vmsIn(rgU)).toHaveLength(1);

    await Promise.all([t, u].map(async (x) => provider.releasePrepared(x)));
  });

  it("a deployment that fails in Azure fails boot for good, with Azure's message, and releases cleanly", async () => {
    const t = await newInstance();
    const rg = rgOf(t);
    await provider.prepare(t);
    sim.failNextDeployment({ code: 'VMExtensionProvisioningError', message: "VM has reported a failure when processing extension 'install-app'. Error message: 'Enable failed: exit status=1'." });
    await provider.create(t);
    const failure = await failureOf(inActivity(provider.boot, t).then((r) => r.result));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain("VM has reported a failure when processing extension 'install-app'");
    expect(failure.message).toContain('DeploymentFailed');
    // The VM was created before the extension failed; releasing removes it and its network.
    expect(vmsIn(rg)).toHaveLength(1);
    await provider.releaseCompute(t);
    expect(vmsIn(rg)).toEqual([]);
    expect(groupOf(rg)?.resources).toEqual([]);
    await provider.releasePrepared(t);
  });

  it("validates a tenant's credential: a wrong secret is recorded invalid and fails provisioning as AuthenticationError", async () => {
    const theirs = sim.addServicePrincipal();
    const tenantId = await newTenant();
    const bad = await newCredential(tenantId, theirs, 'not-the-secret', 'wrong');
    const good = await newCredential(tenantId, theirs, theirs.clientSecret, 'right');

    const badVerdict = await keep(provider.validateCredential(bad));
    expect(badVerdict.status).toBe('invalid');
    expect(badVerdict.message).toContain('AADSTS7000215');
    const badRow = await db.providerCredential.findUniqueOrThrow({ where: { id: bad } });
    expect(badRow).toMatchObject({ status: 'invalid', statusMessage: expect.stringContaining('Invalid client secret') });
    expect(badRow.lastValidatedAt).toBeInstanceOf(Date);

    expect(await keep(provider.validateCredential(good))).toMatchObject({ status: 'valid' });
    expect(await db.providerCredential.findUniqueOrThrow({ where: { id: good } })).toMatchObject({ status: 'valid' });

    const withBad = await newInstance({ tenantId, credentialId: bad });
    const failure = await failureOf(provider.prepare(withBad));
    expect(failure).toMatchObject({ type: 'AuthenticationError', nonRetryable: true });
    expect(groupOf(rgOf(withBad))).toBeUndefined();

    // The good one provisions into the tenant's own subscription, not the platform's.
    const withGood = await newInstance({ tenantId, credentialId: good });
    await provider.prepare(withGood);
    expect(groupOf(rgOf(withGood))?.subscriptionId).toBe(theirs.subscriptionId);
    await provider.releasePrepared(withGood);

    // Another organization cannot borrow it.
    const stranger = await newInstance({ credentialId: good });
    expect(await failureOf(provider.prepare(stranger))).toMatchObject({ type: 'AuthenticationError', nonRetryable: true });
    expect(JSON.stringify(returned)).not.toContain(theirs.clientSecret);
    expect(logLines.join('')).not.toContain(theirs.clientSecret);
  });

  it('quota and SKU refusals fail create as non-retryable QuotaExceeded', async () => {
    sim.setCoreQuota('westus2', 1);
    const t = await newInstance({ region: 'westus2', size: 'Standard_B2s' });
    await provider.prepare(t);
    const quota = await failureOf(provider.create(t));
    expect(quota).toMatchObject({ type: 'QuotaExceeded', nonRetryable: true });
    expect(quota.message).toContain('exceeding approved standardBSFamily Cores quota');

    sim.setSkuAvailable('Standard_B4ms', 'westeurope', false);
    const u = await newInstance({ region: 'westeurope', size: 'Standard_B4ms' });
    await provider.prepare(u);
    const sku = await failureOf(provider.create(u));
    expect(sku).toMatchObject({ type: 'QuotaExceeded', nonRetryable: true });
    expect(sku.message).toContain('SkuNotAvailable');
    expect(sim.inspect().deployments.filter((d) => [rgOf(t), rgOf(u)].includes(d.resourceGroup))).toEqual([]);

    sim.setCoreQuota('westus2', 20);
    sim.setSkuAvailable('Standard_B4ms', 'westeurope', true);
    await Promise.all([t, u].map((x) => provider.releasePrepared(x)));
  });

  it("refuses for good what retrying cannot fix: an invalid template, a resource group that is not the instance's", async () => {
    const t = await newInstance();
    await provider.prepare(t);
    sim.failNext(
      { method: 'PUT', path: `/resourcegroups/${rgOf(t)}/providers/Microsoft.Resources/deployments/` },
      { status: 400, code: 'InvalidTemplate', message: "Deployment template validation failed: 'The template resource 'tn-x' at line '1' is not valid.'" },
    );
    const invalid = await failureOf(provider.create(t));
    expect(invalid).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(invalid.message).toContain('InvalidTemplate: Deployment template validation failed');
    await provider.releasePrepared(t);

    // Someone else's group under the instance's name is neither adopted nor deleted.
    const u = await newInstance();
    await armClient().resourceGroups.createOrUpdate(rgOf(u), { location: 'eastus', tags: { owner: 'someone else' } });
    expect(await failureOf(provider.prepare(u))).toMatchObject({ type: 'ConflictError', nonRetryable: true });
    expect(await failureOf(provider.releasePrepared(u))).toMatchObject({ type: 'ConflictError', nonRetryable: true });
    expect(groupOf(rgOf(u))?.tags).toEqual({ owner: 'someone else' });
    await armClient().resourceGroups.beginDeleteAndWait(rgOf(u), { updateIntervalInMs: 50 });
  });

  it('429 throttling is retried by the SDK (Retry-After) and the call succeeds', async () => {
    const t = await newInstance();
    const rg = rgOf(t);
    sim.throttleNext({ method: 'PUT', path: new RegExp(`/resourcegroups/${rg}$`, 'i') }, { times: 2, retryAfterSeconds: 1 });
    await provider.prepare(t);
    const puts = sim.requests.filter((r) => r.method === 'PUT' && r.path.toLowerCase().endsWith(`/resourcegroups/${rg}`));
    expect(puts.map((r) => r.status)).toEqual([429, 429, 201]);
    expect(groupOf(rg)).toBeDefined();
    await provider.releasePrepared(t);
  });

  it('cancelling install while the app never answers ends with CancelledFailure', async () => {
    sim.setInstallDelay(Number.POSITIVE_INFINITY);
    const t = await newInstance();
    await provider.prepare(t);
    await provider.create(t);
    await provider.boot(t);
    sim.setInstallDelay(600);

    const env = activityEnvironment();
    const heartbeats: { step?: string; last?: string }[] = [];
    env.on('heartbeat', (d: { step?: string; last?: string }) => {
      heartbeats.push(d);
      if (heartbeats.length === 2) env.cancel();
    });
    const outcome = await env.run(provider.install, t).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(CancelledFailure);
    // It had been probing the app, which answered 503 (still installing) the whole time.
    expect(heartbeats[1]).toMatchObject({ step: 'install', last: 'HTTP 503' });
    expect(vmsIn(rgOf(t))[0]).toMatchObject({ appServing: true, appReady: false });
    await provider.releaseCompute(t);
    await provider.releasePrepared(t);
  });
});
