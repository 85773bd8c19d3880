// Orka 3 REST payloads, parsed defensively (reference §8): collections as `{"items": [...]}` or a
// bare array, ports possibly absent or strings, memory as "8.00G" or a number of GiB, node IP in
// `ip` or `nodeIP`. Parsers never throw on missing optional fields.
export interface OrkaVm {
  name: string;
  node?: string;
  /** The host clients connect to (the node's IP; ports are forwarded there). */
  ip?: string;
  ssh?: number;
  vnc?: number;
  screenshare?: number;
  cpu?: number;
  memoryGb?: number;
  /** `Pending`, `Running` or `Failed` (Orka lists stopped Intel VMs as Running). */
  status: string;
  /** Architecture: `arm64` or `amd64`. */
  type?: string;
  image?: string;
  errorMessage?: string;
  customMetadata?: Record<string, string>;
}

export interface OrkaNode {
  name: string;
  ip?: string;
  allocatableCpu: number;
  availableCpu: number;
  allocatableMemoryGb: number;
  availableMemoryGb: number;
  /** `READY` or `NOT READY` (compare case-insensitively). */
  phase: string;
  tags: string[];
  arch?: string;
}

export interface OrkaImage {
  name: string;
  type?: string;
  description?: string;
  /** `Ready`, `Caching`/`Updating` or `Failed` where the server reports it. */
  state?: string;
}

export interface OrkaVmConfig {
  name: string;
  image?: string;
  cpu?: number;
  memoryGb?: number;
}

export interface OrkaClusterInfo {
  apiEndpoint?: string;
  apiDomain?: string;
  gpuPassthroughEnabled?: boolean;
}

export interface OrkaDeployRequest {
  name: string;
  image?: string;
  vmConfig?: string;
  cpu?: number;
  /** GiB. */
  memory?: number;
  /** Minutes the server holds the request waiting for Running. */
  timeout?: number;
  customMetadata?: Record<string, string>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** "8.00G", "8Gi", "8192M", "8192Mi", 8 → GiB. A bare number is GiB, as Orka's API takes memory. */
export function parseMemoryGb(v: unknown): number | undefined {
  const n = num(v);
  if (n !== undefined) return n;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([\d.]+)\s*([KMGT]i?)?B?\s*$/i.exec(v);
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = (m[2] ?? 'G').toUpperCase().replace('I', '');
  const factor: Record<string, number> = { K: 1 / (1024 * 1024), M: 1 / 1024, G: 1, T: 1024 };
  return Number.isFinite(value) ? value * factor[unit] : undefined;
}

export function items(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (isObj(body) && Array.isArray(body.items)) return body.items;
  return [];
}

export function parseVm(v: unknown): OrkaVm {
  const o = isObj(v) ? v : {};
  return {
    name: str(o.name) ?? '',
    node: str(o.node),
    ip: str(o.ip) ?? str(o.hostIP),
    ssh: num(o.ssh) ?? num(o.ssh_port),
    vnc: num(o.vnc) ?? num(o.vnc_port),
    screenshare: num(o.screenshare) ?? num(o.screen_share_port),
    cpu: num(o.cpu),
    memoryGb: parseMemoryGb(o.memory),
    status: str(o.status) ?? str(o.phase) ?? 'Unknown',
    type: str(o.type),
    image: str(o.image),
    errorMessage: str(o.errorMessage),
    customMetadata: isObj(o.customMetadata) ? (o.customMetadata as Record<string, string>) : undefined,
  };
}

export function parseNode(v: unknown): OrkaNode {
  const o = isObj(v) ? v : {};
  return {
    name: str(o.name) ?? '',
    ip: str(o.ip) ?? str(o.nodeIP),
    allocatableCpu: num(o.allocatableCpu) ?? 0,
    availableCpu: num(o.availableCpu) ?? 0,
    allocatableMemoryGb: parseMemoryGb(o.allocatableMemory) ?? 0,
    availableMemoryGb: parseMemoryGb(o.availableMemory) ?? 0,
    phase: str(o.phase) ?? str(o.state) ?? 'UNKNOWN',
    tags: Array.isArray(o.orkaTags) ? o.orkaTags.filter((t): t is string => typeof t === 'string') : [],
    arch: str(o.arch),
  };
}

export function parseImage(v: unknown): OrkaImage {
  const o = isObj(v) ? v : {};
  return { name: str(o.name) ?? '', type: str(o.type), description: str(o.description), state: str(o.state) };
}

export function parseVmConfig(v: unknown): OrkaVmConfig {
  const o = isObj(v) ? v : {};
  return { name: str(o.name) ?? '', image: str(o.image), cpu: num(o.cpu), memoryGb: parseMemoryGb(o.memory) };
}

export function parseClusterInfo(v: unknown): OrkaClusterInfo {
  const o = isObj(v) ? v : {};
  return { apiEndpoint: str(o.apiEndpoint), apiDomain: str(o.apiDomain), gpuPassthroughEnabled: typeof o.gpuPassthroughEnabled === 'boolean' ? o.gpuPassthroughEnabled : undefined };
}

/** The `message` of a Kubernetes Status body, or the raw text (a proxy's HTML page, trimmed). */
export function errorMessageOf(text: string): { message: string; reason?: string } {
  try {
    const body = JSON.parse(text) as unknown;
    if (isObj(body)) {
      const message = str(body.message) ?? (Array.isArray(body.errors) && isObj(body.errors[0]) ? str(body.errors[0].message) : undefined);
      if (message) return { message, reason: str(body.reason) };
    }
  } catch {
    /* not JSON: fall through to the raw text */
  }
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return { message: plain.slice(0, 300) || 'empty response' };
}
