// The one interface every compute provider (Docker, Orka, Azure) implements. The instance workflow
// drives any provider through these operations; each becomes a Temporal activity named
// `<provider>.<operation>` (e.g. `docker.create`), so the history reads like the runbook.
//
// Rules every implementation follows:
//  - Idempotent. External names derive from the instance id (`externalName(...)` below), so a retry,
//    a crashed worker or a replay finds what an earlier attempt created and adopts it instead of
//    creating a second one. Before calling a provider to create something, record the name you are
//    about to create in `instances.provider_refs` (`recordProviderRefs`) so an operator sees it even if
//    the worker dies mid-call.
//  - Bounded. Long waits heartbeat (`Context.current().heartbeat(...)`) at least every few seconds and
//    honour cancellation (`Context.current().cancellationSignal` / `sleep` from @temporalio/activity).
//  - Failures that retrying cannot fix (bad input, bad credentials, quota) are raised with
//    `permanent(ErrorType.X, message)` from activities/failures.ts; everything else throws normally and
//    the workflow's retry policy tries again.
//  - Release operations are no-ops when nothing exists, and never fail because something is already gone.
import type { ProviderName, ResolvedSpec } from '../../lib/catalog';

/** Everything a provider needs to act on one instance; plain JSON (it travels in workflow history). */
export interface InstanceTarget {
  instanceId: string;
  tenantId: string;
  /** The organization's subdomain. */
  tenantSlug: string;
  /** The organization's display name (shown by apps). */
  tenantName?: string;
  /** The customer's name for the instance (DNS-safe, unique within the tenant while it exists). */
  name: string;
  provider: ProviderName;
  spec: ResolvedSpec;
  /** A tenant's own cloud credential (provider_credentials.id) to use instead of the platform's. */
  credentialId?: string | null;
}

export interface InstanceEndpoint {
  /** Web address of the app (Docker, Azure). */
  url?: string;
  ip?: string;
  fqdn?: string;
  /** e.g. "ssh admin@10.0.0.5 -p 8822" (Orka, Azure). */
  ssh?: string;
  /** e.g. "vnc://10.0.0.5:5999" (Orka). */
  vnc?: string;
  ports?: Record<string, number>;
}

export interface StepOutcome {
  /** Merged into instances.provider_refs: what exists at the provider (names, ids). */
  refs?: Record<string, string>;
  endpoint?: InstanceEndpoint;
  /** A line for the instance's event log, e.g. "container tn-1a2b… created". */
  message?: string;
  /**
   * Only from `prepare`: the provider cannot take the instance yet (no macOS host free, image being
   * cached, ...). The workflow stays `pending`, shows `reason` and calls `prepare` again after
   * `retryAfterSeconds`.
   */
  wait?: { reason: string; retryAfterSeconds: number; etaSeconds?: number };
}

export interface ProviderStatus {
  state: 'running' | 'stopped' | 'transitioning' | 'missing' | 'error';
  /** The app or OS answers its health check (undefined when not applicable or not running). */
  healthy?: boolean;
  detail?: string;
}

export interface ProviderMetrics {
  at: string;
  cpuPercent?: number;
  memoryBytes?: number;
  memoryLimitBytes?: number;
  networkRxBytes?: number;
  networkTxBytes?: number;
  status: ProviderStatus['state'];
}

export interface CommandResult {
  exitCode: number;
  output: string;
  /** Output was cut to this many bytes. */
  truncated: boolean;
}

/** The commands customers may run (the RMM seed's ping/sysinfo, and a few safe diagnostics). */
export type InstanceCommand = 'ping' | 'sysinfo' | 'uptime' | 'disk' | 'processes';

export interface ComputeProvider {
  // Provisioning, in this order. Phases: prepare+create = provisioning, boot = configuring,
  // install = installing.
  /** Prerequisites (Docker: tenant schema + role, network; Orka: image and capacity; Azure: resource group). */
  prepare(t: InstanceTarget): Promise<StepOutcome>;
  /** The compute itself (Docker: container; Orka: VM; Azure: ARM template deployment). */
  create(t: InstanceTarget): Promise<StepOutcome>;
  /** Until it runs (Docker: started; Orka: VM running with IP; Azure: deployment succeeded). */
  boot(t: InstanceTarget): Promise<StepOutcome>;
  /** Until the app/OS answers (health endpoint, SSH), and routed; returns the endpoint. */
  install(t: InstanceTarget): Promise<StepOutcome>;

  // Compensation and destroy (reverse order of the above).
  /** Removes the compute and anything routed to it (undo of create/boot/install). */
  releaseCompute(t: InstanceTarget): Promise<StepOutcome>;
  /** Removes the prerequisites (undo of prepare). */
  releasePrepared(t: InstanceTarget): Promise<StepOutcome>;
  /** Throws (retryably) while anything of this instance still exists at the provider. */
  verifyGone(t: InstanceTarget): Promise<StepOutcome>;

  // Day-2 operations on a provisioned instance.
  start(t: InstanceTarget): Promise<StepOutcome>;
  stop(t: InstanceTarget): Promise<StepOutcome>;
  restart(t: InstanceTarget): Promise<StepOutcome>;
  status(t: InstanceTarget): Promise<ProviderStatus>;
  metrics(t: InstanceTarget): Promise<ProviderMetrics>;
  exec(t: InstanceTarget, command: InstanceCommand): Promise<CommandResult>;

  /** Is the provider's service itself reachable and usable (engine, cluster, ARM)? For operators. */
  health?(): Promise<ServiceHealth>;

  /** Providers that accept tenants' own credentials: try them and record valid/invalid on the row. */
  validateCredential?(credentialId: string): Promise<CredentialVerdict>;
}

export interface ServiceHealth {
  ok: boolean;
  detail: string;
}

export interface CredentialVerdict {
  status: 'valid' | 'invalid';
  message?: string;
}

/** Deterministic external name: `<prefix>-<first 12 hex of the instance id>`, e.g. `tn-1a2b3c4d5e6f`. */
export function externalName(prefix: string, instanceId: string): string {
  return `${prefix}-${instanceId.replace(/-/g, '').slice(0, 12)}`;
}

/** Operations of ComputeProvider, as activity name suffixes. */
export const PROVIDER_OPERATIONS = [
  'prepare',
  'create',
  'boot',
  'install',
  'releaseCompute',
  'releasePrepared',
  'verifyGone',
  'start',
  'stop',
  'restart',
  'status',
  'metrics',
  'exec',
] as const satisfies readonly (keyof ComputeProvider)[];
