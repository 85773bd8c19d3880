// Microsoft.Compute/virtualMachines: GET (with $expand=instanceView), /instanceView, the power
// actions start/powerOff/deallocate/restart, runCommand (RunShellScript) and DELETE, each action a
// 202 + Azure-AsyncOperation + Location long-running operation.
import { ArmError, notFound } from './arm-error';
import { computeOperationHeaders } from './compute-operations';
import { runShellScript } from './guest-shell';
import { empty, json, parseJsonBody, queryParam, type SimReply, type SimRequest } from './http';
import { checkPowerAction, runPowerAction, runVmDeletion, type PowerAction } from './vm-lifecycle';
import { resourceIdFor, type SimulatorState, type VmRuntime } from './state';

/** Azure keeps only the last 4096 bytes of each stream of a run command. */
const RUN_COMMAND_OUTPUT_LIMIT = 4096;

const POWER_DISPLAY: Record<VmRuntime['powerState'], string> = {
  starting: 'VM starting',
  running: 'VM running',
  stopping: 'VM stopping',
  stopped: 'VM stopped',
  deallocating: 'VM deallocating',
  deallocated: 'VM deallocated',
};

function vmId(req: SimRequest): string {
  return resourceIdFor(req.params.sub, req.params.rg, 'Microsoft.Compute/virtualMachines', req.params.vm);
}

function requireVm(state: SimulatorState, req: SimRequest): VmRuntime {
  state.requireResourceGroup(req.params.sub, req.params.rg);
  const vm = state.findVm(vmId(req));
  if (!vm) throw notFound.resource('Microsoft.Compute/virtualMachines', req.params.vm, req.params.rg);
  return vm;
}

export function instanceView(state: SimulatorState, vm: VmRuntime) {
  const now = new Date().toISOString();
  const record = state.findResource(vm.id);
  const diskName = String((record?.properties.storageProfile as { osDisk?: { name?: string } } | undefined)?.osDisk?.name ?? `${vm.name}-osdisk`);
  const provisioning = vm.provisioningState.toLowerCase();
  return {
    computerName: vm.computerName,
    osName: 'ubuntu',
    osVersion: '24.04',
    vmAgent: {
      vmAgentVersion: '2.11.1.12',
      statuses: [{ code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Ready', message: 'Guest Agent is running', time: now }],
    },
    disks: [{ name: diskName, statuses: [{ code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded', time: now }] }],
    extensions: vm.extensions.map((e) => ({
      name: e.name,
      type: `Microsoft.Azure.Extensions.${e.type}`,
      typeHandlerVersion: '2.1.10',
      statuses: [{ code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded', message: 'Enable succeeded' }],
    })),
    hyperVGeneration: 'V2',
    statuses: [
      { code: `ProvisioningState/${provisioning}`, level: 'Info', displayStatus: provisioning === 'succeeded' ? 'Provisioning succeeded' : vm.provisioningState, time: now },
      { code: `PowerState/${vm.powerState}`, level: 'Info', displayStatus: POWER_DISPLAY[vm.powerState] },
    ],
  };
}

export function getVm(state: SimulatorState, req: SimRequest): SimReply {
  const vm = requireVm(state, req);
  const record = state.findResource(vm.id)!;
  const expand = queryParam(req, '$expand');
  return json(200, {
    id: record.id,
    name: record.name,
    type: record.type,
    location: record.location,
    ...(record.tags ? { tags: record.tags } : {}),
    properties: {
      ...record.properties,
      provisioningState: vm.provisioningState,
      ...(expand?.toLowerCase() === 'instanceview' ? { instanceView: instanceView(state, vm) } : {}),
    },
  });
}

export function getVmInstanceView(state: SimulatorState, req: SimRequest): SimReply {
  return json(200, instanceView(state, requireVm(state, req)));
}

export function postPowerAction(state: SimulatorState, req: SimRequest, action: PowerAction): SimReply {
  const vm = requireVm(state, req);
  checkPowerAction(vm, action);
  const op = state.startOperation();
  runPowerAction(state, vm, action, op);
  return empty(202, computeOperationHeaders(req, vm.location, op));
}

export function postRunCommand(state: SimulatorState, req: SimRequest): SimReply {
  const vm = requireVm(state, req);
  const body = parseJsonBody(req);
  if (body.commandId !== 'RunShellScript') {
    throw new ArmError(400, 'InvalidParameter', `The value '${String(body.commandId)}' of parameter 'commandId' is not supported by the simulator (only RunShellScript).`, undefined, 'commandId');
  }
  if (!Array.isArray(body.script) || body.script.some((s) => typeof s !== 'string')) {
    throw new ArmError(400, 'InvalidParameter', "The value of parameter 'script' is invalid.", undefined, 'script');
  }
  checkPowerAction(vm, 'runCommand');
  const script = body.script as string[];
  const op = state.startOperation();
  vm.busy = 'runCommand';
  void (async () => {
    try {
      await state.delay(state.settings.operationDurationMs);
      const r = runShellScript(script, vm);
      const tail = (s: string) => Buffer.from(s).subarray(-RUN_COMMAND_OUTPUT_LIMIT).toString();
      const streams = `[stdout]\n${tail(r.stdout)}\n[stderr]\n${tail(r.stderr)}\n`;
      const message = r.exitCode === 0 ? `Enable succeeded: \n${streams}` : `Enable failed: failed to execute command: command terminated with exit status=${r.exitCode}\n${streams}`;
      const status =
        r.exitCode === 0
          ? { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded', message }
          : { code: 'ProvisioningState/failed/1', level: 'Error', displayStatus: 'Provisioning failed', message };
      vm.busy = undefined;
      state.finishOperation(op, { result: { value: [status] } });
    } catch (err) {
      vm.busy = undefined;
      if (!state.lifetime.signal.aborted) state.finishOperation(op, { error: { code: 'InternalExecutionError', message: (err as Error).message } });
    }
  })();
  return empty(202, computeOperationHeaders(req, vm.location, op));
}

export function deleteVm(state: SimulatorState, req: SimRequest): SimReply {
  state.requireResourceGroup(req.params.sub, req.params.rg);
  const vm = state.findVm(vmId(req));
  if (!vm) return empty(204);
  if (vm.provisioningState !== 'Deleting') {
    if (vm.busy) throw new ArmError(409, 'Conflict', `Operation 'delete' is not allowed on VM '${vm.name}' since another operation ('${vm.busy}') is in progress.`);
    const op = state.startOperation();
    runVmDeletion(state, vm, op);
    return empty(202, computeOperationHeaders(req, vm.location, op));
  }
  const op = state.startOperation();
  void (async () => {
    while (state.findVm(vm.id) && !state.lifetime.signal.aborted) await state.delay(25).catch(() => undefined);
    state.finishOperation(op);
  })();
  return empty(202, computeOperationHeaders(req, vm.location, op));
}
