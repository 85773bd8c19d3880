// The simulated Orka cluster: nodes with CPU/memory capacity, images (some still being cached), VM
// configs and VMs, and the rules the reference describes (scheduling onto READY nodes of the VM's
// namespace, at most 2 macOS VMs per Apple-silicon node, synchronous deploys that hold until Running
// or time out leaving the VM Pending). No HTTP here: routes.ts maps the wire protocol onto this.
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { notFound, SimError } from './status';
import { openVmListeners, type VmListeners, type VmPorts } from './vm-listeners';

export type Arch = 'arm64' | 'amd64';
export type ImageState = 'Ready' | 'Caching' | 'Failed';
export type VmPhase = 'Pending' | 'Running' | 'Failed';
export const POWER_ACTIONS = ['start', 'stop', 'suspend', 'resume', 'revert'] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

/** Apple's macOS licence allows two macOS VMs per Apple-silicon host. */
export const MAX_VMS_PER_ARM_NODE = 2;
/** Official clients keep images and VM configs in this namespace. */
export const DEFAULT_NAMESPACE = 'orka-default';

export interface SimNodeSpec {
  name: string;
  /** Defaults to the simulator's namespace. */
  namespace?: string;
  arch?: Arch;
  cpu: number;
  memoryGb: number;
  phase?: 'READY' | 'NOT READY';
  tags?: string[];
}

export interface SimImageSpec {
  name: string;
  arch?: Arch;
  description?: string;
  state?: ImageState;
}

export interface SimVmConfig {
  name: string;
  image: string;
  cpu: number;
  memory?: number;
  tag?: string;
  tagRequired?: boolean;
  scheduler?: string;
}

export interface DeployRequest {
  name?: string;
  shouldGenerateName?: boolean;
  vmConfig?: string;
  image?: string;
  cpu?: number;
  memory?: number;
  node?: string;
  tag?: string;
  tagRequired?: boolean;
  scheduler?: string;
  /** Minutes the server waits for Running before failing the request (the VM stays listed). */
  timeout?: number;
  customMetadata?: Record<string, string>;
}

export interface ClusterOptions {
  namespace: string;
  nodes: SimNodeSpec[];
  images: SimImageSpec[];
  deployDelayMs: number;
  imageCacheDelayMs: number;
  powerOnDelayMs: number;
  /** Orka 3 documents power operations for Intel VMs only; 'all' lets the sandbox stop Apple-silicon VMs too. */
  powerOps: 'all' | 'intel-only';
  /** Overrides the deploy request's `timeout` (minutes), so tests need not wait 10 minutes. */
  scheduleTimeoutMs?: number;
}

interface NodeRecord extends Required<Omit<SimNodeSpec, 'tags'>> {
  tags: string[];
  /** Capacity used by something other than our VMs (a test hook sets it). */
  reservedCpu: number;
  reservedMemoryGb: number;
}

interface ImageRecord {
  name: string;
  arch: Arch;
  description: string;
  state: ImageState;
}

export interface VmRecord {
  name: string;
  namespace: string;
  image: string;
  arch: Arch;
  cpu: number;
  memoryGb: number;
  pinnedNode?: string;
  tag?: string;
  tagRequired: boolean;
  scheduler: string;
  node?: string;
  status: VmPhase;
  /** Power state; Orka itself keeps listing a stopped VM as Running. */
  powered: boolean;
  ports?: VmPorts;
  listeners?: VmListeners;
  errorMessage?: string;
  customMetadata: Record<string, string>;
  createdAt: Date;
  deadlineMs: number;
  deleted: boolean;
  /** Bumped by every power change, so a delayed power-on of an older request does nothing. */
  powerGeneration: number;
  bringUp?: Promise<VmRecord>;
}

const NAME_RULE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const isOciReference = (image: string) => image.includes('/');
const round1 = (n: number) => Math.round(n * 10) / 10;

export class OrkaCluster {
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly images = new Map<string, ImageRecord>();
  private readonly configs = new Map<string, SimVmConfig>();
  private readonly vms = new Map<string, VmRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly shutdown = new AbortController();
  private bootStalled = false;

  constructor(readonly opts: ClusterOptions) {
    for (const n of opts.nodes) this.addNode(n);
    for (const i of opts.images) this.images.set(i.name, { name: i.name, arch: i.arch ?? 'arm64', description: i.description ?? '', state: i.state ?? 'Ready' });
    for (const i of opts.images) if (i.state === 'Caching') this.markImageUncached(i.name, opts.imageCacheDelayMs);
  }

  // ---- nodes and capacity

  addNode(n: SimNodeSpec): void {
    this.nodes.set(n.name, {
      name: n.name,
      namespace: n.namespace ?? this.opts.namespace,
      arch: n.arch ?? 'arm64',
      cpu: n.cpu,
      memoryGb: n.memoryGb,
      phase: n.phase ?? 'READY',
      tags: n.tags ?? [],
      reservedCpu: 0,
      reservedMemoryGb: 0,
    });
  }

  private vmsOnNode(node: string): VmRecord[] {
    return [...this.vms.values()].filter((v) => v.node === node);
  }

  available(node: NodeRecord): { cpu: number; memoryGb: number; vmCount: number } {
    const vms = this.vmsOnNode(node.name);
    return {
      cpu: node.cpu - node.reservedCpu - vms.reduce((s, v) => s + v.cpu, 0),
      memoryGb: round1(node.memoryGb - node.reservedMemoryGb - vms.reduce((s, v) => s + v.memoryGb, 0)),
      vmCount: vms.length,
    };
  }

  listNodes(namespace: string): { node: NodeRecord; available: { cpu: number; memoryGb: number; vmCount: number } }[] {
    return [...this.nodes.values()].filter((n) => n.namespace === namespace).map((node) => ({ node, available: this.available(node) }));
  }

  /** Test hook: makes the free capacity of one node (or every node) exactly this, whatever our VMs use. */
  setFreeCapacity(free: { cpu?: number; memoryGb?: number }, nodeName?: string): void {
    const targets = nodeName ? [this.nodeOrThrow(nodeName)] : [...this.nodes.values()];
    for (const node of targets) {
      const vms = this.vmsOnNode(node.name);
      const usedCpu = vms.reduce((s, v) => s + v.cpu, 0);
      const usedMem = vms.reduce((s, v) => s + v.memoryGb, 0);
      if (free.cpu !== undefined) node.reservedCpu = Math.max(0, node.cpu - usedCpu - free.cpu);
      if (free.memoryGb !== undefined) node.reservedMemoryGb = Math.max(0, node.memoryGb - usedMem - free.memoryGb);
    }
  }

  setNodePhase(nodeName: string, phase: 'READY' | 'NOT READY'): void {
    this.nodeOrThrow(nodeName).phase = phase;
  }

  private nodeOrThrow(name: string): NodeRecord {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`simulator has no node ${name}`);
    return node;
  }

  // ---- images

  listImages(namespace: string): ImageRecord[] {
    return namespace === DEFAULT_NAMESPACE ? [...this.images.values()] : [];
  }

  getImage(namespace: string, name: string): ImageRecord {
    const image = namespace === DEFAULT_NAMESPACE ? this.images.get(name) : undefined;
    if (!image) throw notFound('images', name);
    return image;
  }

  /** Test hook: the image is (re)cached from now on; Ready after `readyAfterMs` (Infinity: when markImageCached). */
  markImageUncached(name: string, readyAfterMs = this.opts.imageCacheDelayMs): void {
    const image = this.images.get(name) ?? { name, arch: 'arm64' as Arch, description: '', state: 'Caching' as ImageState };
    image.state = 'Caching';
    this.images.set(name, image);
    if (Number.isFinite(readyAfterMs)) this.later(readyAfterMs, () => image.state === 'Caching' && (image.state = 'Ready'));
  }

  markImageCached(name: string): void {
    const image = this.images.get(name);
    if (!image) throw new Error(`simulator has no image ${name}`);
    image.state = 'Ready';
  }

  markImageFailed(name: string): void {
    const image = this.images.get(name);
    if (!image) throw new Error(`simulator has no image ${name}`);
    image.state = 'Failed';
  }

  // ---- VM configs (cluster-wide names, served from orka-default)

  listConfigs(): SimVmConfig[] {
    return [...this.configs.values()];
  }

  getConfig(name: string): SimVmConfig {
    const c = this.configs.get(name);
    if (!c) throw notFound('virtualmachineconfigs', name);
    return c;
  }

  createConfig(body: Partial<SimVmConfig>): SimVmConfig {
    if (typeof body.name !== 'string' || typeof body.image !== 'string') throw new SimError(400, 'BadRequest', 'name and image are required');
    if (body.name.length > 50 || !NAME_RULE.test(body.name)) throw invalidName('VM config', body.name);
    const cpu = body.cpu ?? 3;
    if (!Number.isInteger(cpu) || cpu < 2) throw new SimError(422, 'Invalid', `spec.cpu: Invalid value: ${cpu}: spec.cpu in body should be greater than or equal to 2`);
    if (this.configs.has(body.name)) throw new SimError(409, 'AlreadyExists', `virtualmachineconfigs.orka.macstadium.com "${body.name}" already exists`, { name: body.name });
    const config: SimVmConfig = { name: body.name, image: body.image, cpu, memory: body.memory, tag: body.tag, tagRequired: body.tagRequired, scheduler: body.scheduler };
    this.configs.set(config.name, config);
    return config;
  }

  deleteConfig(name: string): void {
    if (!this.configs.delete(name)) throw notFound('virtualmachineconfigs', name);
  }

  // ---- VMs

  listVms(namespace: string): VmRecord[] {
    return [...this.vms.values()].filter((v) => v.namespace === namespace);
  }

  allVms(): VmRecord[] {
    return [...this.vms.values()];
  }

  getVm(namespace: string, name: string): VmRecord {
    const vm = this.vms.get(`${namespace}/${name}`);
    if (!vm) throw notFound('virtualmachineinstances', name);
    return vm;
  }

  /** The synchronous part of a deploy: validates and creates the (Pending) VM resource. */
  createVm(namespace: string, req: DeployRequest): VmRecord {
    if (!req.image && !req.vmConfig) throw new SimError(400, 'BadRequest', 'either vmConfig or image is required');
    const config = req.vmConfig ? this.configs.get(req.vmConfig) : undefined;
    if (req.vmConfig && !config) throw new SimError(404, 'NotFound', `VM config ${req.vmConfig} does not exist`, { name: req.vmConfig });
    const image = req.image ?? config!.image;
    const known = this.images.get(image);
    if (!known && !isOciReference(image)) throw new SimError(404, 'NotFound', `image '${image}' not found`, { name: image });

    const suffix = () => randomBytes(8).toString('hex').replace(/[^a-z0-9]/g, '').slice(0, 5);
    let name = req.name ?? `vm-${suffix()}`;
    if (req.name && req.shouldGenerateName) name = `${req.name}-${suffix()}`;
    if (name.length > 63 || !NAME_RULE.test(name)) throw invalidName('VM', name);
    if (this.vms.has(`${namespace}/${name}`)) throw new SimError(409, 'AlreadyExists', `VM with name ${name} already exists`, { name });

    const cpu = req.cpu ?? config?.cpu ?? 3;
    if (!Number.isInteger(cpu) || cpu < 2) throw new SimError(422, 'Invalid', `cpu: Invalid value: ${cpu}: must be an integer of at least 2`);
    const memory = req.memory || config?.memory || cpu * 2;
    const timeoutMs = this.opts.scheduleTimeoutMs ?? (req.timeout ?? 10) * 60_000;
    const vm: VmRecord = {
      name,
      namespace,
      image,
      arch: known?.arch ?? 'arm64',
      cpu,
      memoryGb: round1(memory),
      pinnedNode: req.node,
      tag: req.tag ?? config?.tag,
      tagRequired: req.tagRequired ?? config?.tagRequired ?? false,
      scheduler: req.scheduler ?? config?.scheduler ?? 'default',
      status: 'Pending',
      powered: false,
      customMetadata: req.customMetadata ?? {},
      createdAt: new Date(),
      deadlineMs: Date.now() + timeoutMs,
      deleted: false,
      powerGeneration: 0,
    };
    this.vms.set(`${namespace}/${name}`, vm);
    return vm;
  }

  /** The waiting part of a deploy: image cached, placed on a node, booted. Rejects (VM left listed) on timeout. */
  bringUp(vm: VmRecord): Promise<VmRecord> {
    vm.bringUp ??= this.runBringUp(vm);
    return vm.bringUp;
  }

  private async runBringUp(vm: VmRecord): Promise<VmRecord> {
    await this.waitUntil(vm, () => {
      const image = this.images.get(vm.image);
      if (image?.state === 'Failed') {
        vm.status = 'Failed';
        vm.errorMessage = `image ${vm.image} failed to cache on the node`;
      }
      return !image || image.state === 'Ready';
    }, () => `image ${vm.image} is still being cached`);
    await this.waitUntil(vm, () => this.place(vm), () => this.placementProblem(vm));
    const bootedAt = Date.now() + this.opts.deployDelayMs;
    await this.waitUntil(vm, () => !this.bootStalled && Date.now() >= bootedAt, () => `VM ${vm.name} is still booting`);
    vm.listeners = await openVmListeners();
    if (vm.deleted) {
      await vm.listeners.close();
      throw deletedWhileDeploying(vm);
    }
    vm.ports = vm.listeners.ports;
    vm.status = 'Running';
    vm.powered = true;
    return vm;
  }

  private async waitUntil(vm: VmRecord, done: () => boolean, problem: () => string): Promise<void> {
    for (;;) {
      if (vm.deleted) throw deletedWhileDeploying(vm);
      const ok = done();
      if (vm.status === 'Failed') throw new SimError(500, 'InternalError', `VM ${vm.name} failed: ${vm.errorMessage ?? 'unknown error'}`, { name: vm.name });
      if (ok) return;
      if (Date.now() > vm.deadlineMs) {
        throw new SimError(500, 'Timeout', `timed out waiting for VM ${vm.name} to be running: ${problem()}`, { name: vm.name });
      }
      await delay(25, undefined, { signal: this.shutdown.signal });
    }
  }

  private candidates(vm: VmRecord): NodeRecord[] {
    return [...this.nodes.values()].filter(
      (n) => n.namespace === vm.namespace && n.phase === 'READY' && n.arch === vm.arch && (!vm.pinnedNode || n.name === vm.pinnedNode) && (!vm.tagRequired || (vm.tag !== undefined && n.tags.includes(vm.tag))),
    );
  }

  private fits(node: NodeRecord, vm: VmRecord): boolean {
    const a = this.available(node);
    return a.cpu >= vm.cpu && a.memoryGb >= vm.memoryGb && (node.arch !== 'arm64' || a.vmCount < MAX_VMS_PER_ARM_NODE);
  }

  private place(vm: VmRecord): boolean {
    if (vm.node) return true;
    const fitting = this.candidates(vm).filter((n) => this.fits(n, vm));
    if (fitting.length === 0) return false;
    const byFreeCpu = fitting.sort((a, b) => this.available(b).cpu - this.available(a).cpu);
    const preferTagged = vm.tag ? byFreeCpu.filter((n) => n.tags.includes(vm.tag!)) : [];
    const ordered = preferTagged.length ? preferTagged : byFreeCpu;
    vm.node = (vm.scheduler === 'most-allocated' ? ordered[ordered.length - 1] : ordered[0]).name;
    return true;
  }

  private placementProblem(vm: VmRecord): string {
    const nodes = this.candidates(vm);
    if (nodes.length === 0) return vm.tagRequired ? 'Tag required but no tagged nodes available' : `No nodes available in namespace ${vm.namespace}`;
    if (!nodes.some((n) => this.available(n).cpu >= vm.cpu)) return 'Not enough CPU available';
    if (!nodes.some((n) => this.available(n).memoryGb >= vm.memoryGb)) return 'Not enough memory available';
    return `every node already runs ${MAX_VMS_PER_ARM_NODE} VMs`;
  }

  async deleteVm(namespace: string, name: string): Promise<void> {
    const vm = this.getVm(namespace, name);
    vm.deleted = true;
    vm.powerGeneration++;
    this.vms.delete(`${namespace}/${name}`);
    await vm.listeners?.close();
    vm.listeners = undefined;
  }

  async power(namespace: string, name: string, action: PowerAction): Promise<void> {
    const vm = this.getVm(namespace, name);
    if (vm.status !== 'Running') throw new SimError(409, 'Conflict', `VM ${name} is ${vm.status}; power operations need a deployed VM`, { name });
    if (this.opts.powerOps === 'intel-only' && vm.arch === 'arm64') {
      throw new SimError(400, 'BadRequest', `${action} is not supported for arm64 VMs; power operations are available for Intel VMs only`, { name });
    }
    const generation = ++vm.powerGeneration;
    const powerOff = async () => {
      vm.powered = false;
      await vm.listeners?.close();
      vm.listeners = undefined;
    };
    // Powering on returns at once; the guest answers on its ports after it has booted.
    const powerOnLater = () => {
      vm.powered = true;
      this.later(this.opts.powerOnDelayMs, async () => {
        if (vm.deleted || vm.powerGeneration !== generation || vm.listeners) return;
        vm.listeners = await openVmListeners(vm.ports);
        if (vm.deleted || vm.powerGeneration !== generation) {
          await vm.listeners.close();
          vm.listeners = undefined;
          return;
        }
        vm.ports = vm.listeners.ports;
      });
    };
    if (action === 'stop' || action === 'suspend') await powerOff();
    else if (action === 'revert') {
      await powerOff();
      powerOnLater();
    } else if (!vm.powered) powerOnLater();
  }

  /** Test hook: the VM's pod dies (status Failed, ports closed). */
  async failVm(namespace: string, name: string, message: string): Promise<void> {
    const vm = this.getVm(namespace, name);
    vm.status = 'Failed';
    vm.errorMessage = message;
    vm.powerGeneration++;
    await vm.listeners?.close();
    vm.listeners = undefined;
  }

  /** Test hook: while stalled, placed VMs stay Pending (a boot that never finishes). */
  stallBoot(stalled: boolean): void {
    this.bootStalled = stalled;
  }

  private later(ms: number, fn: () => unknown): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      Promise.resolve(fn()).catch(() => undefined);
    }, ms);
    this.timers.add(t);
  }

  async close(): Promise<void> {
    this.shutdown.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.vms.values()].map((v) => v.listeners?.close()));
    for (const vm of this.vms.values()) vm.bringUp?.catch(() => undefined);
  }
}

function invalidName(kind: string, name: string): SimError {
  return new SimError(
    422,
    'Invalid',
    `${kind} name "${name}" is invalid: it must consist of lower case alphanumeric characters or "-", start with an alphabetic character, and end with an alphanumeric character (at most 63 characters)`,
    { name },
  );
}

function deletedWhileDeploying(vm: VmRecord): SimError {
  return new SimError(500, 'InternalError', `VM ${vm.name} was deleted while it was being deployed`, { name: vm.name });
}
