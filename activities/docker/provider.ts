// Docker app instances (the Fresco seed's model): a container running the tenant's app, with its own
// Postgres schema and role, on its organization's own bridge network, reachable at
// `<instance>.<tenant>.<base domain>` through the app proxy.
//
// External names (deterministic, from the ids): container `tn-<instance12>`, network
// `tn-net-<tenant12>` (one per organization: its apps can talk to each other, other organizations'
// cannot reach them), database role/schema `app_<instance12>`. Each create records the name first
// (provider_refs) and adopts an existing object of that name on retry.
import { Context } from '@temporalio/activity';
import type Docker from 'dockerode';
import { httpGet } from '../../lib/http-probe';
import type { PlatformDeps } from '../deps';
import { ErrorType, permanent } from '../failures';
import {
  externalName,
  type CommandResult,
  type ComputeProvider,
  type InstanceCommand,
  type InstanceTarget,
  type ProviderMetrics,
  type ProviderStatus,
  type StepOutcome,
} from '../providers/contract';
import { recordProviderRefs } from '../providers/refs';
import { appRole, type createTenantPostgres } from '../tenant-postgres/databases';
import { assertEngineReachable, inspectOrUndefined, isNotFound, isNotModified } from './engine';
import { ensureImage, IMAGE_RECIPES } from './images';
import type { RouteTable } from './routes';

export interface DockerProviderDeps extends PlatformDeps {
  docker: Docker;
  tenantPostgres: ReturnType<typeof createTenantPostgres>;
  routes: RouteTable;
  apps: { baseDomain: string; proxyPort: number };
  /** Host name under which containers reach the tenant Postgres (mapped to the Docker host gateway). */
  tenantDbHostAlias: string;
  /** Labels our Docker objects (`tenantry.stack`), so stacks sharing an engine never touch each other's. */
  stackId: string;
}

const MAX_OUTPUT = 16 * 1024;
const PIDS_LIMIT = 256;
const STOP_TIMEOUT_SECONDS = 10;

export const containerName = (instanceId: string) => externalName('tn', instanceId);
export const networkName = (tenantId: string) => externalName('tn-net', tenantId);
export const appHost = (t: InstanceTarget, baseDomain: string) => `${t.name}.${t.tenantSlug}.${baseDomain}`;

/** Heartbeats when running inside an activity; a no-op when called directly (tests, scripts). */
function heartbeat(details?: unknown) {
  try {
    Context.current().heartbeat(details);
  } catch {
    /* not in an activity */
  }
}

/** Sleeps, but wakes with an error as soon as the activity is cancelled. */
async function pause(ms: number) {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    /* not in an activity */
  }
  if (ctx) return ctx.sleep(ms);
  await new Promise((r) => setTimeout(r, ms));
}

async function httpOk(url: string, host?: string): Promise<boolean> {
  const res = await httpGet(url, { host });
  return res.status >= 200 && res.status < 300;
}

export function createDockerProvider(deps: DockerProviderDeps): ComputeProvider {
  const { docker, db, routes } = deps;

  const container = (t: InstanceTarget) => docker.getContainer(containerName(t.instanceId));
  const inspectContainer = (t: InstanceTarget) => inspectOrUndefined(() => container(t).inspect());
  const recipeFor = (t: InstanceTarget) => {
    const recipe = IMAGE_RECIPES[t.spec.image];
    if (!recipe) throw permanent(ErrorType.Validation, `no recipe to build image ${t.spec.image}`);
    return recipe;
  };

  async function containerIp(t: InstanceTarget): Promise<string> {
    const info = await inspectContainer(t);
    const ip = info?.NetworkSettings?.Networks?.[networkName(t.tenantId)]?.IPAddress;
    if (!ip) throw new Error(`container ${containerName(t.instanceId)} has no address on ${networkName(t.tenantId)} yet`);
    return ip;
  }

  /**
   * The organization's network, created once. Docker does not enforce unique network names, so two
   * instances of one organization preparing at the same moment could create two of them (and every
   * later call by name fails as ambiguous): creation is serialized per organization with a Postgres
   * advisory lock, and duplicates left by an older version are removed (the oldest one stays).
   */
  async function ensureNetwork(t: InstanceTarget) {
    const name = networkName(t.tenantId);
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`docker-network:${name}`}))`;
        const existing = await networksNamed(name);
        if (existing.length > 1) await removeDuplicateNetworks(existing);
        if (existing.length > 0) return;
        await docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          CheckDuplicate: true,
          Labels: { 'tenantry.tenant': t.tenantId, 'tenantry.managed': 'true', 'tenantry.stack': deps.stackId },
        });
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
  }

  /** Networks with exactly this name (Docker's name filter also matches substrings). */
  async function networksNamed(name: string) {
    return (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
  }

  async function removeDuplicateNetworks(nets: Awaited<ReturnType<typeof networksNamed>>) {
    const [, ...extras] = [...nets].sort((a, b) => String(a.Created).localeCompare(String(b.Created)));
    for (const n of extras) {
      const info = await inspectOrUndefined(() => docker.getNetwork(n.Id).inspect());
      if (info && Object.keys(info.Containers ?? {}).length === 0) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    }
  }

  /** Removes the organization's network once none of its containers use it any more. */
  async function removeNetworkIfUnused(t: InstanceTarget) {
    const name = networkName(t.tenantId);
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`docker-network:${name}`}))`;
        const others = await docker.listContainers({ all: true, filters: { label: [`tenantry.tenant=${t.tenantId}`] } });
        if (others.length > 0) return;
        for (const n of await networksNamed(name)) {
          const info = await inspectOrUndefined(() => docker.getNetwork(n.Id).inspect());
          if (!info || Object.keys(info.Containers ?? {}).length > 0) continue;
          try {
            await docker.getNetwork(n.Id).remove();
          } catch (err) {
            if (!isNotFound(err)) throw err;
          }
        }
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
  }

  async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      if (await check()) return;
      if (Date.now() > deadline) throw new Error(`${what}: no success within ${Math.round(timeoutMs / 1000)} s`);
      heartbeat({ waitingFor: what, attempt });
      // Start fast (most waits are short: a container starting, nginx reloading), back off to 1 s.
      await pause(Math.min(50 * 2 ** (attempt - 1), 1000));
    }
  }

  async function healthyAndRouted(t: InstanceTarget): Promise<StepOutcome> {
    const port = t.spec.port ?? 8080;
    const ip = await containerIp(t);
    const health = `http://${ip}:${port}${t.spec.healthPath ?? '/'}`;
    await waitUntil('the app health endpoint', () => httpOk(health), 120_000);
    const host = appHost(t, deps.apps.baseDomain);
    await routes.publish(host, `${ip}:${port}`);
    await recordProviderRefs(db, t.instanceId, { route: host, address: `${ip}:${port}` });
    const viaProxy = `http://127.0.0.1:${deps.apps.proxyPort}${t.spec.healthPath ?? '/'}`;
    await waitUntil('the route through the app proxy', () => httpOk(viaProxy, host), 30_000);
    const portSuffix = deps.apps.proxyPort === 80 ? '' : `:${deps.apps.proxyPort}`;
    return { endpoint: { url: `http://${host}${portSuffix}/` }, message: `healthy and routed at http://${host}${portSuffix}/` };
  }

  return {
    async prepare(t) {
      await assertEngineReachable(docker);
      const { built } = await ensureImage(docker, recipeFor(t), (note) => heartbeat({ building: note.slice(0, 200) }));
      await recordProviderRefs(db, t.instanceId, { network: networkName(t.tenantId), database: appRole(t.instanceId) });
      await ensureNetwork(t);
      const login = await deps.tenantPostgres.ensureAppDatabase(t.tenantId, t.instanceId);
      return {
        refs: { network: networkName(t.tenantId), database: login.role, image: t.spec.image },
        message: `${built ? `image ${t.spec.image} built; ` : ''}network ${networkName(t.tenantId)} and database schema ${login.schema} ready`,
      };
    },

    async create(t) {
      const name = containerName(t.instanceId);
      await recordProviderRefs(db, t.instanceId, { container: name });
      const existing = await inspectContainer(t);
      if (existing) return { refs: { container: name, containerId: existing.Id }, message: `container ${name} exists; adopted` };
      const login = await deps.tenantPostgres.ensureAppDatabase(t.tenantId, t.instanceId);
      const host = appHost(t, deps.apps.baseDomain);
      const port = t.spec.port ?? 8080;
      const memory = t.spec.memoryMb * 1024 * 1024;
      const created = await docker.createContainer({
        name,
        Image: t.spec.image,
        Env: [
          `PORT=${port}`,
          `DATABASE_URL=${login.url}`,
          `TENANT_SLUG=${t.tenantSlug}`,
          `TENANT_NAME=${t.tenantName ?? t.tenantSlug}`,
          `INSTANCE_NAME=${t.name}`,
        ],
        Labels: {
          'tenantry.managed': 'true',
          'tenantry.stack': deps.stackId,
          'tenantry.tenant': t.tenantId,
          'tenantry.instance': t.instanceId,
          'tenantry.route': host,
          // The same routing as Traefik labels, for deployments that front the engine with Traefik.
          'traefik.enable': 'true',
          [`traefik.http.routers.${name}.rule`]: `Host(\`${host}\`)`,
          [`traefik.http.services.${name}.loadbalancer.server.port`]: String(port),
        },
        ExposedPorts: { [`${port}/tcp`]: {} },
        HostConfig: {
          NetworkMode: networkName(t.tenantId),
          Memory: memory,
          MemorySwap: memory, // no swap beyond the limit
          NanoCpus: Math.round(t.spec.vcpu * 1e9),
          PidsLimit: PIDS_LIMIT,
          RestartPolicy: { Name: 'unless-stopped' },
          ExtraHosts: [`${deps.tenantDbHostAlias}:host-gateway`],
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          ReadonlyRootfs: true,
          Tmpfs: { '/tmp': 'rw,noexec,nosuid,size=16m' },
        },
      });
      return { refs: { container: name, containerId: created.id }, message: `container ${name} created (${t.spec.vcpu} vCPU, ${t.spec.memoryMb} MB)` };
    },

    async boot(t) {
      try {
        await container(t).start();
      } catch (err) {
        if (!isNotModified(err)) throw err; // 304: already running
      }
      await waitUntil('the container to run', async () => (await inspectContainer(t))?.State?.Running === true, 60_000);
      const ip = await containerIp(t);
      return { refs: { address: ip }, message: `container running at ${ip}` };
    },

    install: (t) => healthyAndRouted(t),

    async releaseCompute(t) {
      await routes.unpublish(appHost(t, deps.apps.baseDomain));
      try {
        await container(t).remove({ force: true, v: true });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      await waitUntil('the container to be removed', async () => !(await inspectContainer(t)), 60_000);
      return { message: `container ${containerName(t.instanceId)} and its route removed` };
    },

    async releasePrepared(t) {
      await deps.tenantPostgres.dropAppDatabase(t.instanceId);
      await removeNetworkIfUnused(t);
      return { message: 'database schema and role dropped' };
    },

    async verifyGone(t) {
      const left: string[] = [];
      if (await inspectContainer(t)) left.push(`container ${containerName(t.instanceId)}`);
      if (routes.has(appHost(t, deps.apps.baseDomain))) left.push(`route ${appHost(t, deps.apps.baseDomain)}`);
      if (await deps.tenantPostgres.appDatabaseExists(t.instanceId)) left.push('database role/schema');
      if (left.length) throw new Error(`still present: ${left.join(', ')}`);
      return { message: 'confirmed: no container, route, schema or role left' };
    },

    async start(t) {
      try {
        await container(t).start();
      } catch (err) {
        if (!isNotModified(err)) throw err;
      }
      return { message: 'container started' };
    },

    async stop(t) {
      await routes.unpublish(appHost(t, deps.apps.baseDomain));
      try {
        await container(t).stop({ t: STOP_TIMEOUT_SECONDS });
      } catch (err) {
        if (!isNotModified(err)) throw err; // 304: already stopped
      }
      return { message: 'container stopped; its database schema is kept' };
    },

    async restart(t) {
      await container(t).restart({ t: STOP_TIMEOUT_SECONDS });
      return { message: 'container restarted' };
    },

    async status(t): Promise<ProviderStatus> {
      const info = await inspectContainer(t);
      if (!info) return { state: 'missing' };
      const s = info.State;
      if (s.Restarting) return { state: 'transitioning', detail: 'restarting' };
      if (!s.Running) return { state: 'stopped', detail: s.Status };
      const health = s.Health?.Status; // healthy | unhealthy | starting (not judged yet) | none
      return { state: 'running', healthy: health === 'healthy' ? true : health === 'unhealthy' ? false : undefined, detail: health ?? s.Status };
    },

    async metrics(t): Promise<ProviderMetrics> {
      const at = new Date().toISOString();
      const info = await inspectContainer(t);
      if (!info) return { at, status: 'missing' };
      if (!info.State.Running) return { at, status: 'stopped', memoryLimitBytes: info.HostConfig.Memory };
      const s = (await container(t).stats({ stream: false })) as unknown as DockerStats;
      const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
      const systemDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
      const cpus = s.cpu_stats.online_cpus ?? s.cpu_stats.cpu_usage.percpu_usage?.length ?? 1;
      const nets = Object.values(s.networks ?? {});
      return {
        at,
        status: 'running',
        cpuPercent: systemDelta > 0 ? Math.round((cpuDelta / systemDelta) * cpus * 10000) / 100 : 0,
        memoryBytes: s.memory_stats.usage - (s.memory_stats.stats?.cache ?? s.memory_stats.stats?.inactive_file ?? 0),
        memoryLimitBytes: s.memory_stats.limit,
        networkRxBytes: nets.reduce((n, x) => n + x.rx_bytes, 0),
        networkTxBytes: nets.reduce((n, x) => n + x.tx_bytes, 0),
      };
    },

    async exec(t, command: InstanceCommand): Promise<CommandResult> {
      const info = await inspectContainer(t);
      if (!info?.State.Running) throw permanent(ErrorType.Validation, 'the container is not running');
      const exec = await container(t).exec({ Cmd: ['/usr/local/bin/node', '/app/tools.js', command], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      await new Promise<void>((resolve, reject) => {
        // Multiplexed stream: 8-byte frame headers, then stdout/stderr payloads.
        let pending = Buffer.alloc(0);
        stream.on('data', (d: Buffer) => {
          pending = Buffer.concat([pending, d]);
          while (pending.length >= 8) {
            const len = pending.readUInt32BE(4);
            if (pending.length < 8 + len) break;
            const payload = pending.subarray(8, 8 + len);
            pending = pending.subarray(8 + len);
            if (size + payload.length > MAX_OUTPUT) {
              truncated = true;
              chunks.push(payload.subarray(0, Math.max(0, MAX_OUTPUT - size)));
              size = MAX_OUTPUT;
            } else {
              chunks.push(payload);
              size += payload.length;
            }
          }
          heartbeat();
        });
        stream.on('end', resolve);
        stream.on('error', reject);
      });
      const { ExitCode } = await exec.inspect();
      return { exitCode: ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8').trimEnd(), truncated };
    },
  };
}

interface DockerStats {
  cpu_stats: { cpu_usage: { total_usage: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number };
  memory_stats: { usage: number; limit: number; stats?: { cache?: number; inactive_file?: number } };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
}
