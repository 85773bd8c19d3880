// Whether some Orka host can take a VM of a given size right now, and if not, why, in words a
// customer understands. Pure: fed with what Orka's nodes and VMs lists say.
import type { OrkaNode, OrkaVm } from './wire';

/** Apple's macOS licence: at most two macOS VMs per Apple-silicon host. */
export const MAX_VMS_PER_APPLE_SILICON_HOST = 2;

export interface CapacityNeed {
  cpu: number;
  memoryGb: number;
  /** The image's architecture (`arm64`/`amd64`), when known. */
  arch?: string;
}

export type CapacityVerdict = { ok: true; node: string } | { ok: false; reason: string };

const gb = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} GB`;

export function findCapacity(nodes: OrkaNode[], vms: OrkaVm[], need: CapacityNeed): CapacityVerdict {
  // Nodes that do not say their architecture are given the benefit of the doubt.
  const matching = nodes.filter((n) => !need.arch || !n.arch || n.arch === need.arch);
  const ready = matching.filter((n) => n.phase.toLowerCase() === 'ready');
  if (ready.length === 0) {
    return { ok: false, reason: matching.length ? 'no macOS host is online right now' : 'no macOS host is available to us on Orka right now' };
  }
  const withCpu = ready.filter((n) => n.availableCpu >= need.cpu);
  if (withCpu.length === 0) return { ok: false, reason: `no macOS host with ${need.cpu} free vCPUs right now` };
  const withMemory = withCpu.filter((n) => n.availableMemoryGb >= need.memoryGb);
  if (withMemory.length === 0) return { ok: false, reason: `no macOS host with ${need.cpu} free vCPUs and ${gb(need.memoryGb)} of free memory right now` };
  const appleSilicon = (n: OrkaNode) => n.arch === 'arm64' || need.arch === 'arm64';
  const vmCount = (n: OrkaNode) => vms.filter((v) => v.node === n.name).length;
  const withSlot = withMemory.filter((n) => !appleSilicon(n) || vmCount(n) < MAX_VMS_PER_APPLE_SILICON_HOST);
  if (withSlot.length === 0) {
    return { ok: false, reason: `every macOS host with room already runs ${MAX_VMS_PER_APPLE_SILICON_HOST} VMs (Apple's limit per Mac)` };
  }
  const best = withSlot.reduce((a, b) => (b.availableCpu > a.availableCpu ? b : a));
  return { ok: true, node: best.name };
}
