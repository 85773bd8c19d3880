// Where the installed app answers: from the template deployment's outputs (public IP, FQDN, app
// port, admin user), and a single health probe against it.
import type { InstanceEndpoint, InstanceTarget } from '../providers/contract';

export interface DeploymentOutputs {
  publicIp?: string;
  fqdn?: string;
  vmId?: string;
  adminUsername?: string;
  appPort?: number;
}

/** Output names compared case-insensitively (ARM keeps the template's casing, tools vary). */
export function readOutputs(outputs: unknown): DeploymentOutputs {
  const record = (outputs ?? {}) as Record<string, { value?: unknown } | undefined>;
  const get = (name: string) => record[Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase()) ?? '']?.value;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const port = Number(get('appPort'));
  return {
    publicIp: str(get('publicIP')),
    fqdn: str(get('fqdn')),
    vmId: str(get('vmId')),
    adminUsername: str(get('adminUsername')),
    appPort: Number.isInteger(port) && port > 0 ? port : undefined,
  };
}

export function endpointFrom(outputs: DeploymentOutputs, t: InstanceTarget): InstanceEndpoint {
  const port = outputs.appPort ?? t.spec.port ?? 80;
  const host = outputs.publicIp ?? outputs.fqdn;
  return {
    url: host ? `http://${host}:${port}` : undefined,
    ip: outputs.publicIp,
    fqdn: outputs.fqdn,
    ssh: host ? `ssh ${outputs.adminUsername ?? 'azureuser'}@${outputs.fqdn ?? host}` : undefined,
    ports: { app: port, ssh: 22 },
  };
}

export function healthUrl(endpoint: InstanceEndpoint, t: InstanceTarget): string | undefined {
  return endpoint.url ? `${endpoint.url}${t.spec.healthPath ?? '/'}` : undefined;
}

export interface ProbeResult {
  healthy: boolean;
  detail: string;
}

/** One GET of the health URL; never throws (a refused or slow app is simply not healthy). */
export async function probeApp(url: string, timeoutMs: number, cancel?: AbortSignal): Promise<ProbeResult> {
  const signal = cancel ? AbortSignal.any([AbortSignal.timeout(timeoutMs), cancel]) : AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { signal, redirect: 'manual' });
    await res.body?.cancel();
    return { healthy: res.status >= 200 && res.status < 300, detail: `HTTP ${res.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { healthy: false, detail: cause ?? (err as Error).name };
  }
}
