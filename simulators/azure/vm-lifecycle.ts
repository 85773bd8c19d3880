// How a simulated VM behaves over time: power transitions (start, powerOff, deallocate, restart)
// take `operationDurationMs`, the installed app is served only while the VM runs, and deleting a VM
// takes the resources marked `deleteOption: Delete` (OS disk, NIC, public IP) with it, as Azure does.
import { ArmError } from './arm-error';
import { GuestApp } from './guest-app';
import type { AsyncOperationRecord, PowerState, SimulatorState, VmRuntime } from './state';

export type PowerAction = 'start' | 'powerOff' | 'deallocate' | 'restart';

const lc = (s: string) => s.toLowerCase();

/** Called when a CustomScript extension lands on the VM: the first-boot install begins. */
export async function installApp(state: SimulatorState, vm: VmRuntime): Promise<void> {
  if (vm.app) return; // a redeploy does not reinstall
  vm.app = new GuestApp(vm.computerName);
  const delay = state.settings.installDelayMs;
  vm.appInstalledAt = Number.isFinite(delay) ? Date.now() + delay : Number.POSITIVE_INFINITY;
  if (vm.powerState === 'running') await vm.app.serve(vm.appInstalledAt);
}

async function serveApp(state: SimulatorState, vm: VmRuntime): Promise<void> {
  if (!vm.app) return;
  const readyAt = Math.max(vm.appInstalledAt ?? 0, Date.now() + state.settings.appStartDelayMs);
  await vm.app.serve(readyAt);
}

function transitional(action: PowerAction): PowerState {
  return action === 'start' || action === 'restart' ? 'starting' : action === 'powerOff' ? 'stopping' : 'deallocating';
}

function final(action: PowerAction): PowerState {
  return action === 'start' || action === 'restart' ? 'running' : action === 'powerOff' ? 'stopped' : 'deallocated';
}

/** Refuses what Azure refuses: a concurrent operation, or restarting a VM that is not running. */
export function checkPowerAction(vm: VmRuntime, action: PowerAction | 'runCommand'): void {
  if (vm.provisioningState === 'Deleting') {
    throw new ArmError(409, 'OperationNotAllowed', `Operation '${action}' is not allowed since the VM '${vm.name}' is marked for deletion.`);
  }
  if (vm.busy) {
    throw new ArmError(409, 'Conflict', `Operation '${action}' is not allowed on VM '${vm.name}' since another operation ('${vm.busy}') is in progress.`);
  }
  if ((action === 'restart' || action === 'runCommand') && vm.powerState !== 'running') {
    throw new ArmError(409, 'OperationNotAllowed', `Operation '${action}' is not allowed on VM '${vm.name}' since the VM is ${vm.powerState}.`);
  }
}

/** Runs a power action in the background, completing `op` when the VM reaches its final state. */
export function runPowerAction(state: SimulatorState, vm: VmRuntime, action: PowerAction, op: AsyncOperationRecord): void {
  vm.busy = action;
  vm.provisioningState = 'Updating';
  // Starting a running VM or deallocating a deallocated one succeeds without a transition.
  const alreadyThere = vm.powerState === final(action) && action !== 'restart';
  const duration = state.settings.operationDurationMs;
  void (async () => {
    try {
      if (alreadyThere) {
        await state.delay(Math.min(50, duration));
      } else {
        if (action === 'restart') {
          // A reboot: the app goes away, the OS comes back up, the app starts again.
          vm.powerState = 'stopping';
          await vm.app?.shutdown();
          await state.delay(duration / 2);
          vm.powerState = 'starting';
          await state.delay(duration / 2);
        } else {
          vm.powerState = transitional(action);
          if (vm.powerState !== 'starting') await vm.app?.shutdown();
          await state.delay(duration);
        }
        vm.powerState = final(action);
        if (vm.powerState === 'running') {
          vm.bootedAt = Date.now();
          await serveApp(state, vm);
        }
      }
      vm.provisioningState = 'Succeeded';
      vm.busy = undefined;
      state.finishOperation(op);
    } catch (err) {
      if (state.lifetime.signal.aborted) return;
      vm.busy = undefined;
      vm.provisioningState = 'Succeeded';
      state.finishOperation(op, { error: { code: 'InternalExecutionError', message: (err as Error).message } });
    }
  })();
}

function deleteOptionIsDelete(ref: unknown): boolean {
  const r = ref as { deleteOption?: string; properties?: { deleteOption?: string } } | undefined;
  return lc(r?.deleteOption ?? r?.properties?.deleteOption ?? '') === 'delete';
}

/** Removes the VM now (app stopped, children and `deleteOption: Delete` dependents removed). */
export async function destroyVm(state: SimulatorState, vm: VmRuntime): Promise<void> {
  await vm.app?.shutdown();
  const record = state.findResource(vm.id);
  state.removeVm(vm.id);
  if (!record) return;
  for (const r of [...state.resources.values()]) if (lc(r.id).startsWith(lc(vm.id) + '/')) state.removeResource(r.id);
  state.removeResource(vm.id);
  const props = record.properties as {
    storageProfile?: { osDisk?: { deleteOption?: string; managedDisk?: { id?: string } } };
    networkProfile?: { networkInterfaces?: { id?: string; properties?: { deleteOption?: string } }[] };
  };
  const osDisk = props.storageProfile?.osDisk;
  if (osDisk?.managedDisk?.id && deleteOptionIsDelete(osDisk)) state.removeResource(osDisk.managedDisk.id);
  for (const nicRef of props.networkProfile?.networkInterfaces ?? []) {
    if (!nicRef.id || !deleteOptionIsDelete(nicRef)) continue;
    const nic = state.findResource(nicRef.id);
    if (!nic) continue;
    state.removeResource(nic.id);
    const ipConfigs = (nic.properties.ipConfigurations ?? []) as { properties?: { publicIPAddress?: { id?: string; properties?: { deleteOption?: string } } } }[];
    for (const ipc of ipConfigs) {
      const pip = ipc.properties?.publicIPAddress;
      if (pip?.id && deleteOptionIsDelete(pip)) state.removeResource(pip.id);
    }
  }
}

/** Deletes the VM in the background (provisioningState Deleting meanwhile), completing `op`. */
export function runVmDeletion(state: SimulatorState, vm: VmRuntime, op: AsyncOperationRecord): void {
  vm.provisioningState = 'Deleting';
  vm.busy = 'delete';
  void (async () => {
    try {
      await vm.app?.shutdown();
      await state.delay(state.settings.operationDurationMs);
      await destroyVm(state, vm);
      state.finishOperation(op);
    } catch (err) {
      if (state.lifetime.signal.aborted) return;
      state.finishOperation(op, { error: { code: 'InternalExecutionError', message: (err as Error).message } });
    }
  })();
}
