// The ARM + Entra ID simulator on the wire (raw HTTPS, its certificate trusted explicitly): Entra ID
// errors, ARM authentication and authorization, template validation, the real instance template
// creating its resources, and ARM's refusal to delete what is in use.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateResourceNames, templateParameters, APP_VM_TEMPLATE } from '../../activities/azure/template';
import { resolveSpec } from '../../lib/catalog';
import { startAzureSimulator, type AzureSimulator } from '../../simulators/azure/server';

let sim: AzureSimulator;
let token: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function call(method: string, path: string, opts: { token?: string; json?: unknown; form?: Record<string, string> } = {}): Promise<Reply> {
  const url = new URL(path, sim.armEndpoint);
  const payload = opts.form ? new URLSearchParams(opts.form).toString() : opts.json === undefined ? undefined : JSON.stringify(opts.json);
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (payload !== undefined) headers['content-type'] = opts.form ? 'application/x-www-form-urlencoded' : 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: sim.caCertPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

const tokenForm = (secret: string) => ({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: secret, scope: 'https://management.azure.com/.default' });

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

beforeAll(async () => {
  sim = await startAzureSimulator({ deploymentDurationMs: 100, operationDurationMs: 50, installDelayMs: 0 });
  const issued = await call('POST', `/${sim.tenantId}/oauth2/v2.0/token`, { form: tokenForm(sim.clientSecret) });
  token = issued.body.access_token;
});

afterAll(async () => {
  await sim?.stop();
});

describe('Entra ID simulator', () => {
  it('publishes OpenID metadata and issues tokens for the right secret only', async () => {
    const meta = await call('GET', `/${sim.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(meta.body.token_endpoint).toBe(`${sim.authorityHost}/${sim.tenantId}/oauth2/v2.0/token`);
    expect(token).toMatch(/^sim\./);

    const wrong = await call('POST', `/${sim.tenantId}/oauth2/v2.0/token`, { form: tokenForm('wrong') });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(wrong.body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);

    const unknownTenant = await call('GET', '/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration');
    expect(unknownTenant.body.error_codes).toEqual([90002]);
  });
});

describe('ARM simulator', () => {
  it('refuses missing, unknown and foreign credentials with ARM error bodies', async () => {
    const sub = `/subscriptions/${sim.subscriptionId}?api-version=2022-12-01`;
    expect(await call('GET', sub)).toMatchObject({ status: 401, body: { error: { code: 'AuthenticationFailed' } } });
    expect(await call('GET', sub, { token: 'forged' })).toMatchObject({ status: 401, body: { error: { code: 'InvalidAuthenticationToken' } } });
    const other = sim.addServicePrincipal();
    expect(await call('GET', `/subscriptions/${other.subscriptionId}?api-version=2022-12-01`, { token })).toMatchObject({ status: 403, body: { error: { code: 'AuthorizationFailed' } } });
    // Any api-version is accepted.
    expect(await call('GET', `/subscriptions/${sim.subscriptionId}?api-version=2016-06-01`, { token })).toMatchObject({ status: 200, body: { state: 'Enabled' } });
  });

  it('validates resource groups and templates synchronously, ARM-style', async () => {
    const rg = `/subscriptions/${sim.subscriptionId}/resourcegroups/rg-validate?api-version=2025-03-01`;
    expect(await call('PUT', rg, { token, json: { location: 'atlantis' } })).toMatchObject({ status: 400, body: { error: { code: 'LocationNotAvailableForResourceGroup' } } });
    expect(await call('PUT', rg, { token, json: { location: 'West Europe' } })).toMatchObject({ status: 201, body: { location: 'westeurope' } });
    expect(await call('GET', `/subscriptions/${sim.subscriptionId}/resourcegroups/nope?api-version=1`, { token })).toMatchObject({ status: 404, body: { error: { code: 'ResourceGroupNotFound' } } });

    const dep = `/subscriptions/${sim.subscriptionId}/resourcegroups/rg-validate/providers/Microsoft.Resources/deployments/d1?api-version=2025-03-01`;
    const template = { $schema: 'x', contentVersion: '1.0.0.0', parameters: { name: { type: 'string' } }, resources: [] };
    const missing = await call('PUT', dep, { token, json: { properties: { mode: 'Incremental', template, parameters: {} } } });
    expect(missing).toMatchObject({ status: 400, body: { error: { code: 'InvalidTemplate' } } });
    expect(missing.body.error.message).toContain("The value for the template parameter 'name'");
    const extra = await call('PUT', dep, { token, json: { properties: { mode: 'Incremental', template, parameters: { name: { value: 'a' }, other: { value: 1 } } } } });
    expect(extra.body.error.message).toContain("The template parameters 'other' in the parameters file are not valid");
    const badExpr = await call('PUT', dep, {
      token,
      json: { properties: { mode: 'Incremental', template: { ...template, resources: [{ type: 'Microsoft.Network/networkSecurityGroups', apiVersion: '2024-05-01', name: "[concat('a']" }] }, parameters: { name: { value: 'a' } } } },
    });
    expect(badExpr).toMatchObject({ status: 400, body: { error: { code: 'InvalidTemplate' } } });
    expect(await call('GET', dep, { token })).toMatchObject({ status: 404, body: { error: { code: 'DeploymentNotFound' } } });
  });

  it('deploys the instance template: resources, outputs, hidden secure parameters, and in-use protection', async () => {
    const base = `/subscriptions/${sim.subscriptionId}/resourceGroups/rg-app`;
    await call('PUT', `${base}?api-version=2025-03-01`, { token, json: { location: 'eastus' } });
    const resolved = resolveSpec('azure', {});
    if (!resolved.ok) throw new Error('catalogue');
    const parameters = templateParameters({
      vmName: 'tn-0001',
      dnsLabel: 'tenantry-0001',
      adminUsername: 'azureuser',
      adminPublicKey: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 test',
      installScript: Buffer.from('#!/bin/bash\ntrue\n').toString('base64'),
      spec: resolved.spec,
      tags: { 'managed-by': 'tenantry' },
    });
    const dep = `${base}/providers/Microsoft.Resources/deployments/app?api-version=2025-03-01`;
    const put = await call('PUT', dep, { token, json: { properties: { mode: 'Incremental', template: APP_VM_TEMPLATE, parameters } } });
    expect(put.status).toBe(201);
    expect(put.body.properties.provisioningState).toBe('Accepted');
    expect(put.headers['azure-asyncoperation']).toMatch(new RegExp(`^${sim.armEndpoint}/subscriptions/.+/operationStatuses/.+api-version=2025-03-01$`));
    expect(await call('PUT', dep, { token, json: { properties: { mode: 'Incremental', template: APP_VM_TEMPLATE, parameters } } })).toMatchObject({
      status: 409,
      body: { error: { code: 'DeploymentActiveAndUneditable' } },
    });
    await until('deployment succeeded', async () => (await call('GET', dep, { token })).body.properties.provisioningState === 'Succeeded');

    const done = (await call('GET', dep, { token })).body;
    expect(done.properties.outputs).toMatchObject({ publicIP: { value: '127.0.0.1' }, fqdn: { value: 'tenantry-0001.eastus.cloudapp.azure.com' }, adminUsername: { value: 'azureuser' } });
    expect(done.properties.parameters.adminPasswordOrKey).toEqual({ type: 'SecureString' });
    expect(done.properties.parameters.installScript).toEqual({ type: 'SecureString' });
    expect(JSON.stringify(done)).not.toContain('ssh-rsa');

    const names = templateResourceNames('tn-0001');
    const listed = (await call('GET', `${base}/resources?api-version=2025-03-01`, { token })).body.value.map((r: { type: string; name: string }) => `${r.type}/${r.name}`);
    expect(listed.sort()).toEqual(
      [
        `Microsoft.Compute/disks/${names.osDisk}`,
        `Microsoft.Compute/virtualMachines/tn-0001`,
        `Microsoft.Compute/virtualMachines/extensions/tn-0001/${names.extension}`,
        `Microsoft.Network/networkInterfaces/${names.nic}`,
        `Microsoft.Network/networkSecurityGroups/${names.nsg}`,
        `Microsoft.Network/publicIPAddresses/${names.publicIp}`,
        `Microsoft.Network/virtualNetworks/${names.vnet}`,
      ].sort(),
    );

    const vm = await call('GET', `${base}/providers/Microsoft.Compute/virtualMachines/tn-0001?api-version=2025-04-01&$expand=instanceView`, { token });
    expect(vm.body.properties.instanceView.statuses.map((s: { code: string }) => s.code)).toEqual(['ProvisioningState/succeeded', 'PowerState/running']);
    expect(vm.body.properties.osProfile.adminPassword).toBeUndefined();
    const extension = await call('GET', `${base}/providers/Microsoft.Compute/virtualMachines/tn-0001/extensions/install-app?api-version=2024-07-01`, { token });
    expect(extension.body.properties.protectedSettings).toBeUndefined();

    // Power off (stopped, still allocated) and start again, as long-running operations.
    const vmUrl = `${base}/providers/Microsoft.Compute/virtualMachines/tn-0001`;
    const powerState = async () =>
      (await call('GET', `${vmUrl}/instanceView?api-version=2025-04-01`, { token })).body.statuses.find((s: { code: string }) => s.code.startsWith('PowerState/')).code;
    for (const [action, expected] of [
      ['powerOff', 'PowerState/stopped'],
      ['start', 'PowerState/running'],
    ]) {
      const accepted = await call('POST', `${vmUrl}/${action}?api-version=2025-04-01`, { token });
      expect(accepted.status).toBe(202);
      const statusUrl = String(accepted.headers['azure-asyncoperation']);
      await until(`${action} done`, async () => (await call('GET', statusUrl, { token })).body.status === 'Succeeded');
      expect(await powerState()).toBe(expected);
    }
    expect(await call('POST', `${vmUrl}/runCommand?api-version=2025-04-01`, { token, json: { commandId: 'RunPowerShellScript', script: ['dir'] } })).toMatchObject({
      status: 400,
      body: { error: { code: 'InvalidParameter' } },
    });

    // The NSG is in use by the NIC, which is in use by the VM: ARM refuses, in that order.
    expect(await call('DELETE', `${base}/providers/Microsoft.Network/networkSecurityGroups/${names.nsg}?api-version=2024-05-01`, { token })).toMatchObject({
      status: 400,
      body: { error: { code: 'InUseNetworkSecurityGroupCannotBeDeleted' } },
    });
    expect(await call('DELETE', `${base}/providers/Microsoft.Network/networkInterfaces/${names.nic}?api-version=2024-05-01`, { token })).toMatchObject({ status: 400, body: { error: { code: 'NicInUse' } } });

    // Deleting the VM takes its disk, NIC and public IP (deleteOption: Delete); then the NSG can go.
    const del = await call('DELETE', `${base}/providers/Microsoft.Compute/virtualMachines/tn-0001?api-version=2025-04-01`, { token });
    expect(del.status).toBe(202);
    const monitor = String(del.headers.location);
    await until('VM deleted', async () => (await call('GET', monitor, { token })).status === 200);
    const left = (await call('GET', `${base}/resources?api-version=2025-03-01`, { token })).body.value.map((r: { name: string }) => r.name);
    expect(left.sort()).toEqual([names.nsg, names.vnet].sort());
    expect((await call('DELETE', `${base}/providers/Microsoft.Network/networkSecurityGroups/${names.nsg}?api-version=2024-05-01`, { token })).status).toBe(200);
    expect((await call('DELETE', `${base}/providers/Microsoft.Network/networkSecurityGroups/${names.nsg}?api-version=2024-05-01`, { token })).status).toBe(204);
  });
});
