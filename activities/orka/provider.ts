// The Orka provider: macOS VMs on MacStadium Orka 3 behind the ComputeProvider contract.
//
// One VM per instance, named `tn-<12 hex of the instance id>` and recorded in provider_refs before
// Orka is asked to deploy it, so a retry, a lost response or a crashed worker adopts that VM instead
// of deploying a second one. Orka's deploy call is synchronous (it answers once the VM is Running);
// we heartbeat while it runs and abort it when the activity is cancelled. Readiness is a real socket
// check: the guest's SSH port must send an SSH banner (and VNC its RFB greeting).
import { ApplicationFailure } from '@temporalio/activity';
import type { PlatformDeps } from '../deps';
import { ErrorType, permanent } from '../failures';
import { externalName, type ComputeProvider, type InstanceTarget, type ProviderStatus, type StepOutcome } from '../providers/contract';
import { readProviderRefs, recordProviderRefs } from '../providers/refs';
import type { ResolvedSpec } from '../../lib/catalog';
import { activityScope, type ActivityScope } from './activity-scope';
import { findCapacity } from './capacity';
import { OrkaClient, type OrkaPowerAction } from './client';
import {
  OrkaApiError,
  OrkaAuthenticationError,
  OrkaConflictError,
  OrkaInvalidRequestError,
  OrkaNotFoundError,
  OrkaServerError,
  OrkaUnreachableError,
} from './errors';
import { sshAnswers, vncAnswers } from './probes';
import type { OrkaVm } from './wire';

export interface OrkaTimeouts {
  /** Ordinary API calls. */
  requestMs: number;
  /** Sent as the deploy's server-side `timeout` (minutes); the CLI's default is 10. */
  deployMinutes: number;
  /** boot: until Orka reports Running with an IP. */
  bootMs: number;
  /** install: until SSH (and VNC) answer. */
  installMs: number;
  /** start/stop: until the guest's SSH port follows. */
  powerMs: number;
  pollMs: number;
  /** Long waits heartbeat at least this often (the contract asks for ≤ 2 s). */
  heartbeatMs: number;
  /** One socket check. */
  probeMs: number;
  /** What we tell customers an image cache takes; Orka does not report progress. */
  imageCacheEtaSeconds: number;
  /** How soon prepare is asked again when no host has room. */
  capacityRetrySeconds: number;
}

export const DEFAULT_ORKA_TIMEOUTS: OrkaTimeouts = {
  requestMs: 30_000,
  deployMinutes: 10,
  bootMs: 15 * 60_000,
  installMs: 10 * 60_000,
  powerMs: 5 * 60_000,
  pollMs: 1000,
  heartbeatMs: 1000,
  probeMs: 2000,
  imageCacheEtaSeconds: 600,
  capacityRetrySeconds: 30,
};

export interface OrkaSettings {
  endpoint: string;
  token: string;
  namespace: string;
  timeouts?: Partial<OrkaTimeouts>;
}

export type OrkaProviderDeps = PlatformDeps & { orka: OrkaSettings };

/** The Orka VM of an instance. */
export const orkaVmName = (instanceId: string) => externalName('tn', instanceId);

/** MacStadium's macOS images come with this account. */
const SSH_USER = 'admin';

/** Thrown (retryably) by verifyGone while the VM is still listed. */
export class OrkaVmStillExistsError extends Error {
  override name = 'OrkaVmStillExistsError';
}

export function createOrkaProvider(deps: OrkaProviderDeps): ComputeProvider {
  const timeouts: OrkaTimeouts = { ...DEFAULT_ORKA_TIMEOUTS, ...deps.orka.timeouts };
  const client = new OrkaClient({ endpoint: deps.orka.endpoint, token: deps.orka.token, namespace: deps.orka.namespace, requestTimeoutMs: timeouts.requestMs });
  const log = deps.log.child({ provider: 'orka' });
  const ns = deps.orka.namespace;

  const record = async (t: InstanceTarget, refs: Record<string, string>) => {
    await recordProviderRefs(deps.db, t.instanceId, refs);
    return refs;
  };

  /** Polls `probe` until it yields a value, heartbeating; transient Orka errors are waited out. */
  async function waitFor<T>(scope: ActivityScope, what: string, limitMs: number, probe: () => Promise<T | undefined>, details: () => unknown): Promise<T> {
    const deadline = Date.now() + limitMs;
    let lastError: unknown;
    for (;;) {
      try {
        const value = await scope.heartbeatWhile(probe(), details, timeouts.heartbeatMs);
        if (value !== undefined) return value;
        lastError = undefined;
      } catch (err) {
        if (scope.signal?.aborted || !(err instanceof OrkaApiError && err.retryable)) throw err;
        lastError = err;
      }
      if (Date.now() >= deadline) {
        throw lastError ?? new Error(`${what}: still not done after ${Math.round(limitMs / 1000)} s`);
      }
      await scope.sleep(timeouts.pollMs);
    }
  }

  /** The VM, which must exist and be deployed for a day-2 operation. */
  async function deployedVm(scope: ActivityScope, name: string): Promise<OrkaVm> {
    const vm = await client.findVm(name, { signal: scope.signal });
    if (!vm) throw permanent(ErrorType.NotFound, `VM ${name} does not exist at Orka (namespace ${ns})`);
    if (vm.status === 'Failed') throw new Error(`VM ${name} has failed at Orka: ${vm.errorMessage ?? 'no reason given'}`);
    if (vm.status !== 'Running') throw new Error(`VM ${name} is ${vm.status} at Orka; try again once it is deployed`);
    return vm;
  }

  async function powerAction(scope: ActivityScope, name: string, action: OrkaPowerAction): Promise<void> {
    try {
      await client.powerAction(name, action, { signal: scope.signal });
    } catch (err) {
      // Already in that state: the socket check that follows confirms it.
      if (err instanceof OrkaConflictError) return;
      // The VM exists (checked just before), so a 4xx here means Orka does not offer the operation.
      if (err instanceof OrkaInvalidRequestError || err instanceof OrkaNotFoundError) {
        throw permanent(
          ErrorType.Validation,
          `Orka cannot ${action} VM ${name}: ${err.message}. Orka 3 offers power operations for Intel VMs only; an Apple-silicon VM can only be deleted and deployed again`,
        );
      }
      throw err;
    }
  }

  const sshUp = (scope: ActivityScope, vm: OrkaVm) =>
    vm.ip && vm.ssh ? sshAnswers(vm.ip, vm.ssh, { timeoutMs: timeouts.probeMs, signal: scope.signal }) : Promise.resolve(false);

  async function stopVm(scope: ActivityScope, t: InstanceTarget): Promise<StepOutcome> {
    const name = orkaVmName(t.instanceId);
    const vm = await deployedVm(scope, name);
    await record(t, { orkaPower: 'stopping' });
    await powerAction(scope, name, 'stop');
    await waitFor(scope, `stopping VM ${name}`, timeouts.powerMs, async () => ((await sshUp(scope, vm)) ? undefined : true), () => ({ step: 'stop', vm: name }));
    return { refs: await record(t, { orkaPower: 'stopped' }), message: `VM ${name} stopped` };
  }

  async function startVm(scope: ActivityScope, t: InstanceTarget): Promise<StepOutcome> {
    const name = orkaVmName(t.instanceId);
    await deployedVm(scope, name);
    await record(t, { orkaPower: 'starting' });
    await powerAction(scope, name, 'start');
    // Ports can change when a VM comes back; read them again each round.
    await waitFor(
      scope,
      `starting VM ${name}`,
      timeouts.powerMs,
      async () => ((await sshUp(scope, await client.getVm(name, { signal: scope.signal }))) ? true : undefined),
      () => ({ step: 'start', vm: name }),
    );
    const vm = await client.getVm(name, { signal: scope.signal });
    return { refs: await record(t, { ...vmRefs(vm), orkaPower: 'running' }), message: `VM ${name} started; SSH answers` };
  }

  const operations: ComputeProvider = {
    async prepare(t) {
      const scope = activityScope();
      const name = orkaVmName(t.instanceId);
      const need = sizeOf(t.spec);
      const signal = scope.signal;
      // A VM from an earlier attempt already holds its capacity: nothing to wait for.
      const existing = await client.findVm(name, { signal });
      if (existing) return { message: `VM ${name} already exists at Orka (${existing.status})` };

      const [images, nodes, vms] = await Promise.all([client.listImages({ signal }), client.listNodes({ signal }), client.listVms({ signal })]);
      const image = t.spec.image;
      // OCI references (ghcr.io/...) are pulled on deploy and need not be listed.
      const listed = images.find((i) => i.name === image);
      if (!listed && !image.includes('/')) throw permanent(ErrorType.Validation, `image ${image} does not exist on this Orka cluster`);
      const state = listed?.state?.toLowerCase();
      if (state === 'caching' || state === 'updating' || state === 'pulling') {
        const eta = timeouts.imageCacheEtaSeconds;
        return { wait: { reason: `macOS image ${image} is being cached on the Orka hosts, about ${eta} s`, retryAfterSeconds: Math.min(30, eta), etaSeconds: eta } };
      }
      if (state === 'failed') {
        return { wait: { reason: `macOS image ${image} failed to cache on the Orka hosts; waiting for an operator to fix it`, retryAfterSeconds: 60 } };
      }
      const verdict = findCapacity(nodes, vms, { ...need, arch: listed?.type });
      if (!verdict.ok) return { wait: { reason: verdict.reason, retryAfterSeconds: timeouts.capacityRetrySeconds } };
      return { message: `image ${image} is ready; host ${verdict.node} has room for ${need.cpu} vCPUs and ${need.memoryGb} GB` };
    },

    async create(t) {
      const scope = activityScope();
      const name = orkaVmName(t.instanceId);
      const signal = scope.signal;
      const need = sizeOf(t.spec);
      // Create pending: an operator (and every retry) knows which VM may exist before we ask for it.
      await record(t, { orkaVm: name, orkaNamespace: ns });

      const adopt = async (vm: OrkaVm, how: string): Promise<StepOutcome> => {
        log.info({ instanceId: t.instanceId, vm: name, status: vm.status }, how);
        return { refs: await record(t, vmRefs(vm)), message: `VM ${name} ${how} (${vm.status})` };
      };

      const found = await client.findVm(name, { signal });
      if (found?.status === 'Failed') {
        await client.deleteVm(name, { signal });
        throw new Error(`VM ${name} had failed at Orka (${found.errorMessage ?? 'no reason given'}); deleted it so the next attempt deploys a fresh one`);
      }
      if (found) return adopt(found, 'already existed at Orka; adopted it');

      let vm: OrkaVm;
      try {
        const deploy = client.deployVm(
          { name, image: t.spec.image, cpu: need.cpu, memory: need.memoryGb, timeout: timeouts.deployMinutes, customMetadata: { tenantryInstanceId: t.instanceId, tenantryTenantId: t.tenantId } },
          { signal },
        );
        vm = await scope.heartbeatWhile(deploy, () => ({ step: 'create', vm: name }), timeouts.heartbeatMs);
      } catch (err) {
        if (signal?.aborted) throw err;
        if (err instanceof OrkaConflictError) return adopt(await client.getVm(name, { signal }), 'was deployed by an earlier attempt; adopted it');
        if (err instanceof OrkaUnreachableError) {
          // The answer was lost, not necessarily the deploy: if Orka has the VM, it is ours.
          const after = await client.findVm(name, { signal });
          if (after && after.status !== 'Failed') return adopt(after, 'exists although the deploy answer was lost; adopted it');
          throw err;
        }
        if (err instanceof OrkaServerError) {
          // A failed deploy can leave the VM behind (Pending or Failed): remove it so a retry starts clean.
          const leftover = await client.findVm(name, { signal });
          if (leftover) await client.deleteVm(name, { signal });
          throw new OrkaServerError(`${err.message}${leftover ? `; deleted the half-deployed VM ${name} so a retry starts clean` : ''}`, err.status ?? 500, err.reason);
        }
        if (err instanceof OrkaInvalidRequestError || err instanceof OrkaNotFoundError) {
          throw permanent(ErrorType.Validation, `Orka refused to deploy VM ${name}: ${err.message}`);
        }
        throw err;
      }
      return { refs: await record(t, vmRefs(vm)), message: `VM ${name} deployed on ${vm.node ?? 'an Orka host'} (${vm.status})` };
    },

    async boot(t) {
      const scope = activityScope();
      const name = orkaVmName(t.instanceId);
      let status = 'unknown';
      const vm = await waitFor(
        scope,
        `VM ${name} running`,
        timeouts.bootMs,
        async () => {
          const vm = await client.findVm(name, { signal: scope.signal });
          if (!vm) throw permanent(ErrorType.NotFound, `VM ${name} does not exist at Orka (namespace ${ns})`);
          status = vm.status;
          if (vm.status === 'Failed') throw new Error(`VM ${name} failed at Orka: ${vm.errorMessage ?? 'no reason given'}`);
          return vm.status === 'Running' && vm.ip ? vm : undefined;
        },
        () => ({ step: 'boot', vm: name, status }),
      );
      return { refs: await record(t, vmRefs(vm)), message: `VM ${name} is running on ${vm.node ?? 'an Orka host'} at ${vm.ip}` };
    },

    async install(t) {
      const scope = activityScope();
      const name = orkaVmName(t.instanceId);
      const vm = await deployedVm(scope, name);
      const ip = vm.ip;
      if (!ip || !vm.ssh) throw new Error(`Orka reports no IP or SSH port for VM ${name} yet`);
      const probe = { timeoutMs: timeouts.probeMs, signal: scope.signal };
      await waitFor(scope, `SSH on ${ip}:${vm.ssh}`, timeouts.installMs, async () => ((await sshAnswers(ip, vm.ssh!, probe)) ? true : undefined), () => ({ step: 'install', vm: name, waitingFor: 'ssh' }));
      // VNC is the VM console (Intel); Apple-silicon VMs offer Screen Sharing, which speaks the same protocol.
      const vncPort = vm.vnc ?? vm.screenshare;
      if (vncPort) {
        await waitFor(scope, `VNC on ${ip}:${vncPort}`, timeouts.installMs, async () => ((await vncAnswers(ip, vncPort, probe)) ? true : undefined), () => ({ step: 'install', vm: name, waitingFor: 'vnc' }));
      }
      const ports: Record<string, number> = { ssh: vm.ssh };
      if (vm.vnc) ports.vnc = vm.vnc;
      if (vm.screenshare) ports.screenshare = vm.screenshare;
      const refs = await record(t, { ...vmRefs(vm), orkaPower: 'running' });
      return {
        refs,
        endpoint: { ip, ssh: `ssh ${SSH_USER}@${ip} -p ${vm.ssh}`, vnc: vncPort ? `vnc://${ip}:${vncPort}` : undefined, ports },
        message: `macOS answers on SSH at ${ip}:${vm.ssh}${vncPort ? ` and VNC at ${ip}:${vncPort}` : ''}`,
      };
    },

    async releaseCompute(t) {
      const scope = activityScope();
      const name = orkaVmName(t.instanceId);
      const result = await client.deleteVm(name, { signal: scope.signal });
      if (result === 'deleted') log.info({ instanceId: t.instanceId, vm: name }, 'deleted Orka VM');
      return { message: result === 'deleted' ? `VM ${name} deleted` : `VM ${name} was already gone` };
    },

    async releasePrepared() {
      // prepare only looks (image cached? host with room?): it creates nothing per instance. The VM is
      // deployed from the image with cpu/memory directly, so there is no VM config to delete, and the
      // image cache is shared by every tenant's VMs on the host.
      return { message: 'nothing to release at Orka: prepare creates nothing per instance' };
    },

    async verifyGone(t) {
      const scope = activityScope();
      const name = orkaVmName(t.instanceId);
      const vm = await client.findVm(name, { signal: scope.signal });
      if (vm) throw new OrkaVmStillExistsError(`VM ${name} still exists at Orka (${vm.status})`);
      return { message: `confirmed at Orka: no VM ${name}` };
    },

    async start(t) {
      return startVm(activityScope(), t);
    },

    async stop(t) {
      return stopVm(activityScope(), t);
    },

    async restart(t) {
      // Orka has no restart operation: stop, then start.
      const scope = activityScope();
      await stopVm(scope, t);
      const started = await startVm(scope, t);
      return { ...started, message: `VM ${orkaVmName(t.instanceId)} restarted (stopped, then started)` };
    },

    async status(t): Promise<ProviderStatus> {
      const scope = activityScope();
      const name = orkaVmName(t.instanceId);
      const vm = await client.findVm(name, { signal: scope.signal });
      if (!vm) return { state: 'missing', detail: `no VM ${name} at Orka` };
      if (vm.status === 'Pending') return { state: 'transitioning', detail: 'Orka is deploying the VM' };
      if (vm.status === 'Failed') return { state: 'error', detail: vm.errorMessage ?? 'Orka reports the VM as Failed' };
      if (vm.status !== 'Running') return { state: 'error', detail: `Orka reports status ${vm.status}` };
      if (await sshUp(scope, vm)) return { state: 'running', healthy: true };
      // Orka lists a stopped VM as Running, so the power state we asked for tells stopped from hung.
      const power = (await readProviderRefs(deps.db, t.instanceId)).orkaPower;
      if (power === 'stopped') return { state: 'stopped', detail: 'stopped; SSH is closed' };
      if (power === 'stopping' || power === 'starting') return { state: 'transitioning', detail: `${power}; SSH does not answer` };
      return { state: 'running', healthy: false, detail: 'Orka reports the VM running but SSH does not answer' };
    },

    async metrics(t) {
      // Orka's API reports no CPU, memory or network usage of a VM: only its status.
      const { state } = await operations.status(t);
      return { at: new Date().toISOString(), status: state };
    },

    async exec(t) {
      let how = `ssh ${SSH_USER}@<the instance's address>`;
      try {
        const vm = await client.findVm(orkaVmName(t.instanceId), { signal: activityScope().signal });
        if (vm?.ip && vm.ssh) how = `ssh ${SSH_USER}@${vm.ip} -p ${vm.ssh}`;
      } catch {
        // The refusal below is the answer either way; the address is a courtesy.
      }
      throw permanent(ErrorType.Validation, `Orka cannot run commands through its API; connect over SSH: ${how}`);
    },
  };

  return guarded(operations, ns);
}

/** What we record about a deployed VM in provider_refs. */
function vmRefs(vm: OrkaVm): Record<string, string> {
  const refs: Record<string, string> = { orkaVm: vm.name };
  if (vm.node) refs.orkaNode = vm.node;
  if (vm.ip) refs.orkaIp = vm.ip;
  if (vm.ssh) refs.orkaSshPort = String(vm.ssh);
  if (vm.vnc) refs.orkaVncPort = String(vm.vnc);
  if (vm.screenshare) refs.orkaScreensharePort = String(vm.screenshare);
  return refs;
}

/** Orka takes whole cores and GiB of memory. */
function sizeOf(spec: ResolvedSpec): { cpu: number; memoryGb: number } {
  if (!Number.isInteger(spec.vcpu) || spec.vcpu < 2) throw permanent(ErrorType.Validation, `Orka VMs need a whole number of at least 2 vCPUs, not ${spec.vcpu}`);
  return { cpu: spec.vcpu, memoryGb: Math.round((spec.memoryMb / 1024) * 10) / 10 };
}

/**
 * Every operation: refuses tenant-owned credentials (not supported yet, and never silently replaced
 * by the platform's), and turns errors no retry can fix into permanent failures.
 */
function guarded(p: ComputeProvider, namespace: string): ComputeProvider {
  const wrap = <A extends unknown[], R>(fn: (t: InstanceTarget, ...rest: A) => Promise<R>) =>
    async (t: InstanceTarget, ...rest: A): Promise<R> => {
      if (t.credentialId) throw permanent(ErrorType.Validation, 'Orka instances run on the platform’s Orka cluster; tenant-owned Orka credentials are not supported yet');
      try {
        return await fn(t, ...rest);
      } catch (err) {
        throw asActivityError(err, namespace);
      }
    };
  return {
    prepare: wrap(p.prepare),
    create: wrap(p.create),
    boot: wrap(p.boot),
    install: wrap(p.install),
    releaseCompute: wrap(p.releaseCompute),
    releasePrepared: wrap(p.releasePrepared),
    verifyGone: wrap(p.verifyGone),
    start: wrap(p.start),
    stop: wrap(p.stop),
    restart: wrap(p.restart),
    status: wrap(p.status),
    metrics: wrap(p.metrics),
    exec: wrap(p.exec),
  };
}

function asActivityError(err: unknown, namespace: string): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof OrkaAuthenticationError) {
    return permanent(
      ErrorType.Authentication,
      err.status === 403
        ? `the Orka token has no access to namespace ${namespace} (${err.message})`
        : `Orka refused the API token; check ORKA_TOKEN (${err.message})`,
    );
  }
  if (err instanceof OrkaInvalidRequestError) return permanent(ErrorType.Validation, err.message);
  if (err instanceof OrkaNotFoundError) return permanent(ErrorType.NotFound, `${err.message} (is ORKA_ENDPOINT an Orka 3 API server?)`);
  return err;
}
