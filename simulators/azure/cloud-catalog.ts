// What the simulated cloud offers: regions and VM sizes (specs from Learn's B-series and Dv3/Dsv3 pages).

export const REGIONS = [
  'eastus',
  'eastus2',
  'westus2',
  'westus3',
  'centralus',
  'southcentralus',
  'northeurope',
  'westeurope',
  'uksouth',
  'southeastasia',
  'australiaeast',
] as const;

export interface VmSizeInfo {
  vcpu: number;
  memoryMb: number;
  /** The quota family name ARM uses in quota messages. */
  family: string;
}

export const VM_SIZES: Record<string, VmSizeInfo> = {
  Standard_B1s: { vcpu: 1, memoryMb: 1024, family: 'standardBSFamily' },
  Standard_B1ms: { vcpu: 1, memoryMb: 2048, family: 'standardBSFamily' },
  Standard_B2s: { vcpu: 2, memoryMb: 4096, family: 'standardBSFamily' },
  Standard_B2ms: { vcpu: 2, memoryMb: 8192, family: 'standardBSFamily' },
  Standard_B4ms: { vcpu: 4, memoryMb: 16384, family: 'standardBSFamily' },
  Standard_D2s_v3: { vcpu: 2, memoryMb: 8192, family: 'standardDSv3Family' },
  Standard_D4s_v3: { vcpu: 4, memoryMb: 16384, family: 'standardDSv3Family' },
};

/** ARM accepts "West Europe" for "westeurope" (names compared ignoring case and spaces). */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

export function findVmSize(size: string): [string, VmSizeInfo] | undefined {
  const key = Object.keys(VM_SIZES).find((k) => k.toLowerCase() === size.toLowerCase());
  return key ? [key, VM_SIZES[key]] : undefined;
}
