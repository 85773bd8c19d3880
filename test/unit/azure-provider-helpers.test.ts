// The Azure provider's pure parts: error classification, Run Command output parsing, the OpenSSH
// key encoding, power states and deployment outputs.
import { createPublicKey } from 'node:crypto';
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { adminKeyPairFromPrivate, generateAdminKeyPair } from '../../activities/azure/admin-key';
import { endpointFrom, readOutputs } from '../../activities/azure/app-endpoint';
import { AzureRequestError, classifyArmError, toActivityFailure } from '../../activities/azure/errors';
import { COMMAND_SCRIPTS, parseRunCommandResult } from '../../activities/azure/run-command';
import { parseImage } from '../../activities/azure/template';
import { providerState } from '../../activities/azure/vm-state';
import type { InstanceTarget } from '../../activities/providers/contract';

const restError = (statusCode: number, body: { code: string; message: string; details?: { code: string; message: string }[] }) =>
  Object.assign(new Error(body.message), { name: 'RestError', statusCode, code: body.code, details: { error: body } });

describe('Azure error classification', () => {
  it('maps quota, authentication and validation causes to non-retryable types, innermost cause first', () => {
    expect(classifyArmError({ code: 'InvalidTemplateDeployment', message: 'not valid', details: [{ code: 'QuotaExceeded', message: 'cores' }] })).toBe('QuotaExceeded');
    expect(classifyArmError({ code: 'OperationNotAllowed', message: 'exceeding approved standardBSFamily Cores quota' })).toBe('QuotaExceeded');
    expect(classifyArmError({ code: 'InvalidTemplateDeployment', message: 'x', details: [{ code: 'SkuNotAvailable', message: 'y' }] })).toBe('QuotaExceeded');
    expect(classifyArmError({ code: 'AuthorizationFailed', message: 'no RBAC' })).toBe('AuthenticationError');
    expect(classifyArmError({ code: 'InvalidTemplate', message: 'bad' })).toBe('ValidationError');
    expect(classifyArmError({ code: 'OperationNotAllowed', message: "Operation 'start' is not allowed since the VM is marked for deletion." })).toBeUndefined();
    expect(classifyArmError({ code: 'InternalServerError', message: 'oops' })).toBeUndefined();
  });

  it('turns SDK errors into permanent failures or clean retryable errors', () => {
    const quota = toActivityFailure(restError(400, { code: 'InvalidTemplateDeployment', message: 'invalid', details: [{ code: 'QuotaExceeded', message: 'over' }] }), 'creating x');
    expect(quota).toBeInstanceOf(ApplicationFailure);
    expect(quota).toMatchObject({ type: 'QuotaExceeded', nonRetryable: true });
    expect(quota.message).toContain('QuotaExceeded: over');

    const unauthenticated = toActivityFailure(restError(401, { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' }), 'x');
    expect(unauthenticated).toMatchObject({ type: 'AuthenticationError', nonRetryable: true });

    const throttled = toActivityFailure(restError(429, { code: 'SubscriptionRequestsThrottled', message: 'slow down' }), 'creating x');
    expect(throttled).toBeInstanceOf(AzureRequestError);
    expect(throttled.message).toBe('Azure refused creating x (HTTP 429): SubscriptionRequestsThrottled: slow down');

    const signIn = toActivityFailure(Object.assign(new Error('invalid_client: Error(s): 7000215 - Description: AADSTS7000215: Invalid client secret provided.'), { name: 'AuthenticationRequiredError' }), 'x');
    expect(signIn).toMatchObject({ type: 'AuthenticationError', nonRetryable: true });

    const offline = toActivityFailure(Object.assign(new Error('network_error: Network request failed'), { name: 'AuthenticationRequiredError' }), 'x');
    expect(offline).toBeInstanceOf(AzureRequestError);

    const lro = toActivityFailure(new Error('The long-running operation has failed. SkuNotAvailable. The requested VM size is not available.'), 'starting VM');
    expect(lro).toMatchObject({ type: 'QuotaExceeded', nonRetryable: true });

    const cancelled = new CancelledFailure('CANCELLED');
    expect(toActivityFailure(cancelled, 'x')).toBe(cancelled);
  });
});

describe('Run Command results', () => {
  it('parses stdout, stderr and the exit status of Linux RunShellScript', () => {
    expect(parseRunCommandResult([{ code: 'ProvisioningState/succeeded', message: 'Enable succeeded: \n[stdout]\n 10:00:00 up 5 min\n\n[stderr]\n\n' }])).toEqual({
      exitCode: 0,
      output: ' 10:00:00 up 5 min\n',
      truncated: false,
    });
    expect(
      parseRunCommandResult([{ code: 'ProvisioningState/failed/1', message: 'Enable failed: failed to execute command: command terminated with exit status=127\n[stdout]\n\n[stderr]\nbash: x: command not found\n' }]),
    ).toEqual({ exitCode: 127, output: 'bash: x: command not found', truncated: false });
    const huge = parseRunCommandResult([{ message: `Enable succeeded: \n[stdout]\n${'x'.repeat(20_000)}\n[stderr]\n\n` }]);
    expect(huge.truncated).toBe(true);
    expect(huge.output).toHaveLength(16 * 1024);
  });

  it('has a fixed script for every command', () => {
    expect(Object.keys(COMMAND_SCRIPTS).sort()).toEqual(['disk', 'ping', 'processes', 'sysinfo', 'uptime']);
  });
});

describe('admin SSH key', () => {
  it('encodes the public key in OpenSSH format and can be rebuilt from the stored private key', async () => {
    const pair = await generateAdminKeyPair('azureuser@tn-1');
    const [kind, blob, comment] = pair.publicKeyOpenSsh.split(' ');
    expect([kind, comment]).toEqual(['ssh-rsa', 'azureuser@tn-1']);
    const raw = Buffer.from(blob, 'base64');
    expect(raw.subarray(4, 4 + raw.readUInt32BE(0)).toString()).toBe('ssh-rsa');
    // The modulus in the blob is the key's own.
    const n = Buffer.from(createPublicKey(pair.privateKeyPem).export({ format: 'jwk' }).n!, 'base64url');
    expect(raw.includes(n)).toBe(true);
    expect(adminKeyPairFromPrivate(pair.privateKeyPem, 'azureuser@tn-1').publicKeyOpenSsh).toBe(pair.publicKeyOpenSsh);
  });
});

describe('VM state and outputs', () => {
  it('reads power states into provider states', () => {
    const view = (power: string, provisioning = 'succeeded') => ({ statuses: [{ code: `ProvisioningState/${provisioning}` }, { code: `PowerState/${power}` }] });
    expect(providerState(view('running'))).toBe('running');
    expect(providerState(view('deallocated'))).toBe('stopped');
    expect(providerState(view('stopped'))).toBe('stopped');
    expect(providerState(view('deallocating', 'updating'))).toBe('transitioning');
    expect(providerState(view('running', 'failed/OSProvisioningTimedOut'))).toBe('error');
  });

  it('builds the endpoint from deployment outputs (names compared case-insensitively)', () => {
    const outputs = readOutputs({ PublicIP: { type: 'String', value: '20.1.2.3' }, fqdn: { value: 'a.eastus.cloudapp.azure.com' }, appport: { type: 'Int', value: 3000 }, adminUsername: { value: 'azureuser' } });
    const t = { spec: { port: 3000, healthPath: '/health' } } as InstanceTarget;
    expect(endpointFrom(outputs, t)).toEqual({
      url: 'http://20.1.2.3:3000',
      ip: '20.1.2.3',
      fqdn: 'a.eastus.cloudapp.azure.com',
      ssh: 'ssh azureuser@a.eastus.cloudapp.azure.com',
      ports: { app: 3000, ssh: 22 },
    });
  });

  it('parses catalogue images', () => {
    expect(parseImage('Canonical:ubuntu-24_04-lts:server')).toEqual({ publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' });
    expect(() => parseImage('ubuntu')).toThrow(/publisher:offer:sku/);
  });
});
