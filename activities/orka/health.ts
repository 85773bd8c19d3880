import type { ServiceHealth } from '../providers/contract';
import { OrkaClient } from './client';

/** The Orka API answers (cluster-info needs no token) and our token may list the namespace's nodes. */
export async function orkaHealth(settings: { endpoint: string; token: string; namespace: string }): Promise<ServiceHealth> {
  const client = new OrkaClient({ ...settings, requestTimeoutMs: 5000 });
  try {
    await client.clusterInfo();
    const nodes = await client.listNodes();
    const ready = nodes.filter((n) => n.phase.toUpperCase() === 'READY');
    const freeCpu = ready.reduce((sum, n) => sum + n.availableCpu, 0);
    return { ok: ready.length > 0, detail: `${ready.length} of ${nodes.length} node(s) ready in ${settings.namespace}, ${freeCpu} vCPU free` };
  } catch (err) {
    return { ok: false, detail: `Orka at ${settings.endpoint}: ${(err as Error).message}` };
  }
}
