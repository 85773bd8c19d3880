// The Orka 3 API Server's REST surface (reference §3), mapped onto the simulated cluster:
// `/api/v1/cluster-info` without auth, everything else Bearer-authenticated and namespace-scoped,
// collections as `{"items": [...]}`, errors as Kubernetes `Status` bodies.
import express, { type NextFunction, type Request, type Response } from 'express';
import { DEFAULT_NAMESPACE, POWER_ACTIONS, type DeployRequest, type OrkaCluster, type PowerAction, type VmRecord } from './cluster';
import type { FaultPlan } from './faults';
import { SimError, statusBody } from './status';

export interface AccessControl {
  /** Namespaces each token may use; every valid token may use orka-default. */
  namespacesOf(token: string): Set<string> | undefined;
}

const PAST_TENSE: Record<PowerAction, string> = { start: 'started', stop: 'stopped', suspend: 'suspended', resume: 'resumed', revert: 'reverted' };
const gb = (n: number) => `${n.toFixed(2)}G`;

export function vmView(vm: VmRecord) {
  const running = vm.status === 'Running';
  return {
    name: vm.name,
    namespace: vm.namespace,
    ...(running && vm.node ? { node: vm.node } : {}),
    ...(running ? { ip: '127.0.0.1' } : {}),
    ...(running && vm.ports ? { ssh: vm.ports.ssh, vnc: vm.ports.vnc, screenshare: vm.ports.screenshare } : {}),
    cpu: vm.cpu,
    memory: gb(vm.memoryGb),
    // Orka keeps listing stopped VMs as Running (CLI docs); the power state is not on the wire.
    status: vm.status,
    type: vm.arch,
    image: vm.image,
    customMetadata: vm.customMetadata,
    portWarnings: '',
    ...(vm.errorMessage ? { errorMessage: vm.errorMessage } : {}),
  };
}

function sendStatus(res: Response, err: SimError) {
  res.status(err.code).json(statusBody(err));
}

export function orkaRouter(cluster: OrkaCluster, access: AccessControl, faults: FaultPlan) {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(express.json({ type: () => true, limit: '1mb' }));

  app.use((req, res, next) => {
    const failure = faults.take(req.method, req.path);
    if (!failure) return next();
    if (failure.nonJson) {
      res.status(failure.status).type('html').send(`<html><body><h1>${failure.status} Bad Gateway</h1><hr>nginx</body></html>`);
      return;
    }
    sendStatus(res, new SimError(failure.status, failure.status === 503 ? 'ServiceUnavailable' : 'InternalError', 'Internal error occurred: injected failure'));
  });

  app.get('/api/v1/cluster-info', (_req, res) => {
    res.json({
      apiDomain: '',
      apiEndpoint: 'https://127.0.0.1:6443',
      appClientId: 'orka-simulator',
      baseOauthEndpoint: '',
      certData: '',
      gpuPassthroughEnabled: false,
    });
  });

  const authenticated = (req: Request, _res: Response, next: NextFunction) => {
    const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    const namespaces = m ? access.namespacesOf(m[1].trim()) : undefined;
    if (!namespaces) return next(new SimError(401, 'Unauthorized', 'Unauthorized'));
    const ns = req.params.ns as string | undefined;
    if (ns !== undefined && ns !== DEFAULT_NAMESPACE && !namespaces.has(ns)) {
      return next(new SimError(403, 'Forbidden', `The user or service account does not have access to namespace: ${ns}`, { name: ns, kind: 'namespaces' }));
    }
    next();
  };
  const ns = '/api/v1/namespaces/:ns';

  app.get(`${ns}/vms`, authenticated, (req, res) => {
    res.json({ items: cluster.listVms(req.params.ns as string).map(vmView) });
  });
  app.get(`${ns}/vms/:name`, authenticated, (req, res) => {
    res.json(vmView(cluster.getVm(req.params.ns as string, req.params.name as string)));
  });
  app.post(`${ns}/vms`, authenticated, async (req, res) => {
    const vm = cluster.createVm(req.params.ns as string, (req.body ?? {}) as DeployRequest);
    const up = cluster.bringUp(vm);
    if (faults.takeLostDeploy()) {
      // The VM exists and keeps deploying; the caller never hears back.
      up.catch(() => undefined);
      req.socket.destroy();
      return;
    }
    res.status(201).json(vmView(await up));
  });
  app.delete(`${ns}/vms/:name`, authenticated, async (req, res) => {
    await cluster.deleteVm(req.params.ns as string, req.params.name as string);
    // Orka answers a delete with an empty body (Jenkins had to guard against it).
    res.status(200).end();
  });
  app.post(`${ns}/vms/:name/:action`, authenticated, async (req, res) => {
    const action = req.params.action as PowerAction;
    if (!POWER_ACTIONS.includes(action)) throw new SimError(404, 'NotFound', 'the server could not find the requested resource');
    await cluster.power(req.params.ns as string, req.params.name as string, action);
    res.json({ message: `Successfully ${PAST_TENSE[action]} vm ${req.params.name}` });
  });

  app.get(`${ns}/vmconfigs`, authenticated, (_req, res) => {
    res.json({ items: cluster.listConfigs() });
  });
  app.get(`${ns}/vmconfigs/:name`, authenticated, (req, res) => {
    res.json(cluster.getConfig(req.params.name as string));
  });
  app.post(`${ns}/vmconfigs`, authenticated, (req, res) => {
    cluster.createConfig(req.body ?? {});
    res.status(201).json({ message: 'Successfully created VM config' });
  });
  app.delete(`${ns}/vmconfigs/:name`, authenticated, (req, res) => {
    cluster.deleteConfig(req.params.name as string);
    res.status(200).end();
  });

  const imageView = (i: ReturnType<OrkaCluster['listImages']>[number]) => ({ name: i.name, description: i.description, type: i.arch, state: i.state });
  app.get(`${ns}/images`, authenticated, (req, res) => {
    res.json({ items: cluster.listImages(req.params.ns as string).map(imageView) });
  });
  app.get(`${ns}/images/:name`, authenticated, (req, res) => {
    res.json(imageView(cluster.getImage(req.params.ns as string, req.params.name as string)));
  });

  const nodeView = ({ node, available }: ReturnType<OrkaCluster['listNodes']>[number]) => ({
    name: node.name,
    // Official clients read `nodeIP`, a newer one `ip`: both are sent.
    ip: '127.0.0.1',
    nodeIP: '127.0.0.1',
    allocatableCpu: node.cpu,
    availableCpu: Math.max(0, available.cpu),
    allocatableMemory: gb(node.memoryGb),
    availableMemory: gb(Math.max(0, available.memoryGb)),
    phase: node.phase,
    orkaTags: node.tags,
    namespace: node.namespace,
    arch: node.arch,
    nodeType: 'WORKER',
  });
  app.get(`${ns}/nodes`, authenticated, (req, res) => {
    res.json({ items: cluster.listNodes(req.params.ns as string).map(nodeView) });
  });
  app.get(`${ns}/nodes/:name`, authenticated, (req, res) => {
    const found = cluster.listNodes(req.params.ns as string).find((n) => n.node.name === req.params.name);
    if (!found) throw new SimError(404, 'NotFound', `orkanodes.orka.macstadium.com "${req.params.name}" not found`);
    res.json(nodeView(found));
  });

  app.use((_req, _res, next) => next(new SimError(404, 'NotFound', 'the server could not find the requested resource')));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof SimError) return sendStatus(res, err);
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed' || e.status === 400) return sendStatus(res, new SimError(400, 'BadRequest', `invalid JSON body: ${e.message ?? ''}`));
    sendStatus(res, new SimError(500, 'InternalError', `Internal error occurred: ${e.message ?? String(err)}`));
  });
  return app;
}
