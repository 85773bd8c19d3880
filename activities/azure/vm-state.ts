// Reading a VM's instance view (PowerState/*, ProvisioningState/*) into the contract's states.
// Billing (Azure "states and billing"): starting/running/stopping/stopped are billed for compute;
// deallocating/deallocated are not (disks and the public IP still are).
import type { ProviderStatus } from '../providers/contract';

export interface InstanceViewLike {
  statuses?: { code?: string; displayStatus?: string }[];
}

export function powerStateOf(view: InstanceViewLike | undefined): string | undefined {
  return view?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code?.slice('PowerState/'.length);
}

export function provisioningStateOf(view: InstanceViewLike | undefined): string | undefined {
  return view?.statuses?.find((s) => s.code?.startsWith('ProvisioningState/'))?.code?.slice('ProvisioningState/'.length);
}

export function providerState(view: InstanceViewLike | undefined): ProviderStatus['state'] {
  const provisioning = provisioningStateOf(view);
  if (provisioning?.startsWith('failed')) return 'error';
  switch (powerStateOf(view)) {
    case 'running':
      return 'running';
    case 'stopped':
    case 'deallocated':
      return 'stopped';
    case 'starting':
    case 'stopping':
    case 'deallocating':
      return 'transitioning';
    default:
      return provisioning === 'creating' || provisioning === 'updating' || provisioning === 'deleting' ? 'transitioning' : 'error';
  }
}
