// A typed client for the Orka 3 API Server endpoints the provider uses (reference §3). Every call
// has a timeout and accepts the caller's AbortSignal (activity cancellation); failures come back as
// the typed errors of errors.ts, never with the token in the message.
import { errorForStatus, OrkaNotFoundError, OrkaServerError, OrkaUnreachableError } from './errors';
import {
  items,
  errorMessageOf,
  parseClusterInfo,
  parseImage,
  parseNode,
  parseVm,
  parseVmConfig,
  type OrkaClusterInfo,
  type OrkaDeployRequest,
  type OrkaImage,
  type OrkaNode,
  type OrkaVm,
  type OrkaVmConfig,
} from './wire';

export interface OrkaClientOptions {
  /** e.g. http://10.221.188.20 or https://acme.orka.app (a trailing slash is ignored). */
  endpoint: string;
  token: string;
  /** Where VMs and nodes live. */
  namespace: string;
  /** Images and VM configs: official clients always read them from orka-default. */
  sharedNamespace?: string;
  /** Ordinary calls; deploys get their own, longer limit. Default 30 s. */
  requestTimeoutMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Documented for Intel VMs; Apple-silicon VMs have no power operations in Orka 3. */
export type OrkaPowerAction = 'start' | 'stop' | 'suspend' | 'resume' | 'revert';

/** Server-side deploy wait (minutes) when the request names none; the CLI's default. */
export const DEFAULT_DEPLOY_TIMEOUT_MINUTES = 10;

export class OrkaClient {
  readonly endpoint: string;
  readonly namespace: string;
  private readonly sharedNamespace: string;
  private readonly requestTimeoutMs: number;

  constructor(private readonly opts: OrkaClientOptions) {
    this.endpoint = opts.endpoint.replace(/\/+$/, '');
    this.namespace = opts.namespace;
    this.sharedNamespace = opts.sharedNamespace ?? 'orka-default';
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
  }

  /** Needs no token: the connectivity probe official integrations use. */
  async clusterInfo(o?: CallOptions): Promise<OrkaClusterInfo> {
    return parseClusterInfo(await this.request('GET', '/api/v1/cluster-info', { ...o, auth: false }));
  }

  async listVms(o?: CallOptions): Promise<OrkaVm[]> {
    return items(await this.request('GET', this.vmsPath(), o)).map(parseVm);
  }

  async getVm(name: string, o?: CallOptions): Promise<OrkaVm> {
    return parseVm(await this.request('GET', this.vmsPath(name), o));
  }

  /** The VM, or undefined when Orka says 404. */
  async findVm(name: string, o?: CallOptions): Promise<OrkaVm | undefined> {
    try {
      return await this.getVm(name, o);
    } catch (err) {
      if (err instanceof OrkaNotFoundError) return undefined;
      throw err;
    }
  }

  /**
   * Synchronous on Orka's side: answers once the VM is Running, or fails when `timeout` minutes
   * pass (the VM then stays listed until deleted). Our own limit is that plus a minute.
   */
  async deployVm(req: OrkaDeployRequest, o?: CallOptions): Promise<OrkaVm> {
    const minutes = req.timeout ?? DEFAULT_DEPLOY_TIMEOUT_MINUTES;
    const body = { ...req, timeout: minutes, shouldGenerateName: false };
    return parseVm(await this.request('POST', this.vmsPath(), { timeoutMs: minutes * 60_000 + 60_000, ...o, body }));
  }

  /** Deletes the VM; 'absent' when there was none (404). */
  async deleteVm(name: string, o?: CallOptions): Promise<'deleted' | 'absent'> {
    try {
      await this.request('DELETE', this.vmsPath(name), o);
      return 'deleted';
    } catch (err) {
      if (err instanceof OrkaNotFoundError) return 'absent';
      throw err;
    }
  }

  /** POST .../vms/{name}/{action}: the path is the reference's best guess (UNCONFIRMED for 3.x). */
  async powerAction(name: string, action: OrkaPowerAction, o?: CallOptions): Promise<void> {
    await this.request('POST', `${this.vmsPath(name)}/${action}`, { ...o, body: {} });
  }

  async listNodes(o?: CallOptions): Promise<OrkaNode[]> {
    return items(await this.request('GET', `/api/v1/namespaces/${enc(this.namespace)}/nodes`, o)).map(parseNode);
  }

  async listImages(o?: CallOptions): Promise<OrkaImage[]> {
    return items(await this.request('GET', `/api/v1/namespaces/${enc(this.sharedNamespace)}/images`, o)).map(parseImage);
  }

  async listVmConfigs(o?: CallOptions): Promise<OrkaVmConfig[]> {
    return items(await this.request('GET', `/api/v1/namespaces/${enc(this.sharedNamespace)}/vmconfigs`, o)).map(parseVmConfig);
  }

  private vmsPath(name?: string): string {
    return `/api/v1/namespaces/${enc(this.namespace)}/vms${name === undefined ? '' : `/${enc(name)}`}`;
  }

  private async request(method: string, path: string, o: CallOptions & { body?: unknown; auth?: boolean } = {}): Promise<unknown> {
    const timeoutMs = o.timeoutMs ?? this.requestTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.auth !== false) headers.authorization = `Bearer ${this.opts.token}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    const what = `Orka ${method} ${path}`;

    let status: number;
    let text: string;
    try {
      const res = await fetch(`${this.endpoint}${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), signal });
      status = res.status;
      text = await res.text();
    } catch (err) {
      // Cancellation by the caller is not an Orka failure: hand back the caller's reason.
      if (o.signal?.aborted) throw o.signal.reason;
      if (timeout.aborted) throw new OrkaUnreachableError(`${what}: no answer within ${Math.round(timeoutMs / 1000)} s`, true);
      throw new OrkaUnreachableError(`${what}: ${describeNetworkError(err)}`, false);
    }
    if (status < 200 || status > 299) {
      const { message, reason } = errorMessageOf(text);
      throw errorForStatus(status, `${what}: HTTP ${status}: ${message}`, reason);
    }
    // Deletes answer 2xx with an empty body.
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new OrkaServerError(`${what}: HTTP ${status} with a body that is not JSON: ${errorMessageOf(text).message}`, status);
    }
  }
}

const enc = encodeURIComponent;

function describeNetworkError(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message ?? 'fetch failed'} (${cause})` : (e.message ?? String(err));
}
