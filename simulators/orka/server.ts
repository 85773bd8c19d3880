// An Orka 3 API simulator for tests and the local sandbox: speaks the documented wire protocol on
// loopback, and gives its owner in-process hooks (capacity, image caching, injected failures,
// inspection) that are deliberately not reachable over HTTP.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_NAMESPACE, OrkaCluster, type ClusterOptions, type SimImageSpec, type SimNodeSpec, type VmPhase } from './cluster';
import { FaultPlan, type FailureSpec } from './faults';
import { orkaRouter } from './routes';
import type { VmPorts } from './vm-listeners';

export type { SimImageSpec, SimNodeSpec } from './cluster';
export type { FailureSpec } from './faults';
export { SSH_BANNER, RFB_BANNER } from './vm-listeners';

export interface OrkaSimulatorOptions {
  /** 0 or absent: a random free port. */
  port?: number;
  /** The bearer token that may use `namespace` (and orka-default). Random when absent. */
  token?: string;
  namespace?: string;
  /** Default: two Apple-silicon hosts with 8 cores and 28 GB each. */
  nodes?: SimNodeSpec[];
  /** Default: the catalogue's Sonoma and Sequoia images, cached. */
  images?: SimImageSpec[];
  /** Images that start out being cached (Ready after imageCacheDelayMs). */
  uncachedImages?: string[];
  /** Pending → Running once placed (default 1500 ms). */
  deployDelayMs?: number;
  /** How long an image stays Caching (default 20 s). */
  imageCacheDelayMs?: number;
  /** After start/resume, how long until the guest answers on its ports (default 500 ms). */
  powerOnDelayMs?: number;
  powerOps?: ClusterOptions['powerOps'];
  /** Overrides the deploy request's `timeout` minutes for unschedulable/stuck VMs. */
  scheduleTimeoutMs?: number;
}

export interface SimVmSnapshot {
  name: string;
  namespace: string;
  image: string;
  cpu: number;
  memoryGb: number;
  node?: string;
  status: VmPhase;
  powered: boolean;
  ports?: VmPorts;
}

export interface OrkaSimulator {
  endpoint: string;
  token: string;
  namespace: string;
  stop(): Promise<void>;
  // ---- test hooks (in-process only)
  vms(): SimVmSnapshot[];
  vm(name: string, namespace?: string): SimVmSnapshot | undefined;
  /** Free capacity of one node, or of every node when `node` is absent. */
  setFreeCapacity(free: { cpu?: number; memoryGb?: number }, node?: string): void;
  setNodePhase(node: string, phase: 'READY' | 'NOT READY'): void;
  /** The image is being cached from now; Ready after `readyAfterMs` (Infinity: until markImageCached). */
  markImageUncached(image: string, readyAfterMs?: number): void;
  markImageCached(image: string): void;
  markImageFailed(image: string): void;
  /** The next `count` matching requests fail with `status` (default 500). */
  failNextRequests(count: number, spec?: FailureSpec): void;
  /** The next deploy creates its VM, then drops the connection without answering. */
  loseNextDeployResponse(): void;
  /** While true, placed VMs never finish booting (stay Pending). */
  stallBoot(stalled: boolean): void;
  failVm(name: string, message: string, namespace?: string): Promise<void>;
  /** Another token, allowed to use these namespaces (plus orka-default). */
  addToken(token: string, namespaces: string[]): void;
  clearFaults(): void;
}

const DEFAULT_NODES: SimNodeSpec[] = [
  { name: 'mini-arm-01', arch: 'arm64', cpu: 8, memoryGb: 28 },
  { name: 'mini-arm-02', arch: 'arm64', cpu: 8, memoryGb: 28 },
];
const DEFAULT_IMAGES: SimImageSpec[] = [
  { name: 'sonoma-90gb-orka3-arm', arch: 'arm64', description: 'macOS Sonoma 14' },
  { name: 'sequoia-90gb-orka3-arm', arch: 'arm64', description: 'macOS Sequoia 15' },
];

export async function startOrkaSimulator(opts: OrkaSimulatorOptions = {}): Promise<OrkaSimulator> {
  const namespace = opts.namespace ?? DEFAULT_NAMESPACE;
  const token = opts.token ?? `orka-sim-${randomBytes(16).toString('hex')}`;
  const tokens = new Map<string, Set<string>>([[token, new Set([namespace, DEFAULT_NAMESPACE])]]);
  const uncached = new Set(opts.uncachedImages ?? []);
  const images = (opts.images ?? DEFAULT_IMAGES).map((i) => (uncached.has(i.name) ? { ...i, state: 'Caching' as const } : i));
  const cluster = new OrkaCluster({
    namespace,
    nodes: opts.nodes ?? DEFAULT_NODES,
    images,
    deployDelayMs: opts.deployDelayMs ?? 1500,
    imageCacheDelayMs: opts.imageCacheDelayMs ?? 20_000,
    powerOnDelayMs: opts.powerOnDelayMs ?? 500,
    powerOps: opts.powerOps ?? 'all',
    scheduleTimeoutMs: opts.scheduleTimeoutMs,
  });
  const faults = new FaultPlan();
  const app = orkaRouter(cluster, { namespacesOf: (t) => tokens.get(t) }, faults);

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const snapshot = (v: ReturnType<OrkaCluster['allVms']>[number]): SimVmSnapshot => ({
    name: v.name,
    namespace: v.namespace,
    image: v.image,
    cpu: v.cpu,
    memoryGb: v.memoryGb,
    node: v.node,
    status: v.status,
    powered: v.powered,
    ports: v.ports,
  });

  return {
    endpoint,
    token,
    namespace,
    async stop() {
      await cluster.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
    vms: () => cluster.allVms().map(snapshot),
    vm: (name, ns = namespace) => cluster.allVms().filter((v) => v.name === name && v.namespace === ns).map(snapshot)[0],
    setFreeCapacity: (free, node) => cluster.setFreeCapacity(free, node),
    setNodePhase: (node, phase) => cluster.setNodePhase(node, phase),
    markImageUncached: (image, readyAfterMs) => cluster.markImageUncached(image, readyAfterMs),
    markImageCached: (image) => cluster.markImageCached(image),
    markImageFailed: (image) => cluster.markImageFailed(image),
    failNextRequests: (count, spec) => faults.failNext(count, spec),
    loseNextDeployResponse: () => faults.loseNextDeployResponses(1),
    stallBoot: (stalled) => cluster.stallBoot(stalled),
    failVm: (name, message, ns = namespace) => cluster.failVm(ns, name, message),
    addToken: (t, namespaces) => tokens.set(t, new Set([...namespaces, DEFAULT_NAMESPACE])),
    clearFaults: () => faults.clear(),
  };
}
