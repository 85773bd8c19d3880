// The ARM template of one Azure instance, after Azure's "simple Linux VM" quickstart: NSG (SSH + the
// app port), Standard static public IP with a DNS label, VNet/subnet, NIC, an Ubuntu VM of the
// chosen size that logs in by SSH key only, and a CustomScript extension that installs the app on
// first boot. The admin key and the script travel as securestring parameters, which ARM never
// echoes back (deployment GET shows only their type).
import type { ResolvedSpec } from '../../lib/catalog';

export interface ArmTemplateParameter {
  type: 'string' | 'securestring' | 'int' | 'bool' | 'object' | 'array';
  defaultValue?: unknown;
  allowedValues?: unknown[];
  minValue?: number;
  maxValue?: number;
  minLength?: number;
  maxLength?: number;
  metadata?: { description: string };
}

export interface ArmTemplateResource {
  type: string;
  apiVersion: string;
  name: string;
  location?: string;
  tags?: unknown;
  sku?: unknown;
  dependsOn?: string[];
  properties: Record<string, unknown>;
}

// A type alias (not an interface) so it is assignable where the SDK expects Record<string, unknown>.
export type ArmTemplate = {
  $schema: string;
  contentVersion: string;
  parameters: Record<string, ArmTemplateParameter>;
  variables: Record<string, unknown>;
  resources: ArmTemplateResource[];
  outputs: Record<string, { type: 'string' | 'int'; value: string }>;
};

const NETWORK_API = '2024-05-01';
const COMPUTE_API = '2024-07-01';

/** Resource names inside the instance's resource group, as the template's variables compute them. */
export function templateResourceNames(vmName: string) {
  return {
    nsg: `${vmName}-nsg`,
    publicIp: `${vmName}-ip`,
    vnet: `${vmName}-vnet`,
    nic: `${vmName}-nic`,
    osDisk: `${vmName}-osdisk`,
    extension: 'install-app',
  };
}

export const APP_VM_TEMPLATE: ArmTemplate = {
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  parameters: {
    vmName: { type: 'string', maxLength: 64, metadata: { description: 'VM name and Linux host name' } },
    location: { type: 'string', defaultValue: '[resourceGroup().location]' },
    vmSize: { type: 'string' },
    adminUsername: { type: 'string' },
    authenticationType: { type: 'string', defaultValue: 'sshPublicKey', allowedValues: ['sshPublicKey', 'password'] },
    adminPasswordOrKey: { type: 'securestring', metadata: { description: 'OpenSSH public key (or password)' } },
    dnsLabelPrefix: { type: 'string', metadata: { description: 'Public IP DNS label' } },
    imagePublisher: { type: 'string' },
    imageOffer: { type: 'string' },
    imageSku: { type: 'string' },
    imageVersion: { type: 'string', defaultValue: 'latest' },
    appPort: { type: 'int', minValue: 1, maxValue: 65535 },
    installScript: { type: 'securestring', metadata: { description: 'base64 first-boot script run by the CustomScript extension' } },
    tags: { type: 'object', defaultValue: {} },
  },
  variables: {
    nsgName: "[format('{0}-nsg', parameters('vmName'))]",
    publicIPName: "[format('{0}-ip', parameters('vmName'))]",
    vnetName: "[format('{0}-vnet', parameters('vmName'))]",
    nicName: "[format('{0}-nic', parameters('vmName'))]",
    osDiskName: "[format('{0}-osdisk', parameters('vmName'))]",
    subnetName: 'default',
    linuxConfiguration: {
      disablePasswordAuthentication: true,
      ssh: {
        publicKeys: [
          {
            path: "[format('/home/{0}/.ssh/authorized_keys', parameters('adminUsername'))]",
            keyData: "[parameters('adminPasswordOrKey')]",
          },
        ],
      },
    },
  },
  resources: [
    {
      type: 'Microsoft.Network/networkSecurityGroups',
      apiVersion: NETWORK_API,
      name: "[variables('nsgName')]",
      location: "[parameters('location')]",
      tags: "[parameters('tags')]",
      properties: {
        securityRules: [
          {
            name: 'SSH',
            properties: {
              priority: 1000,
              protocol: 'Tcp',
              access: 'Allow',
              direction: 'Inbound',
              sourceAddressPrefix: '*',
              sourcePortRange: '*',
              destinationAddressPrefix: '*',
              destinationPortRange: '22',
            },
          },
          {
            name: 'App',
            properties: {
              priority: 1010,
              protocol: 'Tcp',
              access: 'Allow',
              direction: 'Inbound',
              sourceAddressPrefix: '*',
              sourcePortRange: '*',
              destinationAddressPrefix: '*',
              destinationPortRange: "[string(parameters('appPort'))]",
            },
          },
        ],
      },
    },
    {
      type: 'Microsoft.Network/publicIPAddresses',
      apiVersion: NETWORK_API,
      name: "[variables('publicIPName')]",
      location: "[parameters('location')]",
      tags: "[parameters('tags')]",
      sku: { name: 'Standard', tier: 'Regional' },
      properties: {
        // Static: the address survives deallocate/start, so the app URL stays the same.
        publicIPAllocationMethod: 'Static',
        publicIPAddressVersion: 'IPv4',
        idleTimeoutInMinutes: 4,
        dnsSettings: { domainNameLabel: "[parameters('dnsLabelPrefix')]" },
      },
    },
    {
      type: 'Microsoft.Network/virtualNetworks',
      apiVersion: NETWORK_API,
      name: "[variables('vnetName')]",
      location: "[parameters('location')]",
      tags: "[parameters('tags')]",
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [{ name: "[variables('subnetName')]", properties: { addressPrefix: '10.0.0.0/24' } }],
      },
    },
    {
      type: 'Microsoft.Network/networkInterfaces',
      apiVersion: NETWORK_API,
      name: "[variables('nicName')]",
      location: "[parameters('location')]",
      tags: "[parameters('tags')]",
      dependsOn: [
        "[resourceId('Microsoft.Network/networkSecurityGroups', variables('nsgName'))]",
        "[resourceId('Microsoft.Network/publicIPAddresses', variables('publicIPName'))]",
        "[resourceId('Microsoft.Network/virtualNetworks', variables('vnetName'))]",
      ],
      properties: {
        ipConfigurations: [
          {
            name: 'ipconfig1',
            properties: {
              privateIPAllocationMethod: 'Dynamic',
              subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnetName'), variables('subnetName'))]" },
              publicIPAddress: {
                id: "[resourceId('Microsoft.Network/publicIPAddresses', variables('publicIPName'))]",
                properties: { deleteOption: 'Delete' },
              },
            },
          },
        ],
        networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', variables('nsgName'))]" },
      },
    },
    {
      type: 'Microsoft.Compute/virtualMachines',
      apiVersion: COMPUTE_API,
      name: "[parameters('vmName')]",
      location: "[parameters('location')]",
      tags: "[parameters('tags')]",
      dependsOn: ["[resourceId('Microsoft.Network/networkInterfaces', variables('nicName'))]"],
      properties: {
        hardwareProfile: { vmSize: "[parameters('vmSize')]" },
        storageProfile: {
          imageReference: {
            publisher: "[parameters('imagePublisher')]",
            offer: "[parameters('imageOffer')]",
            sku: "[parameters('imageSku')]",
            version: "[parameters('imageVersion')]",
          },
          // Deleting the VM deletes its disk, NIC and public IP (deleteOption), so nothing is orphaned.
          osDisk: { name: "[variables('osDiskName')]", createOption: 'FromImage', managedDisk: { storageAccountType: 'StandardSSD_LRS' }, deleteOption: 'Delete' },
        },
        osProfile: {
          computerName: "[parameters('vmName')]",
          adminUsername: "[parameters('adminUsername')]",
          adminPassword: "[parameters('adminPasswordOrKey')]",
          linuxConfiguration: "[if(equals(parameters('authenticationType'), 'password'), null(), variables('linuxConfiguration'))]",
        },
        networkProfile: {
          networkInterfaces: [
            {
              id: "[resourceId('Microsoft.Network/networkInterfaces', variables('nicName'))]",
              properties: { deleteOption: 'Delete' },
            },
          ],
        },
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
      },
    },
    {
      type: 'Microsoft.Compute/virtualMachines/extensions',
      apiVersion: COMPUTE_API,
      name: "[format('{0}/{1}', parameters('vmName'), 'install-app')]",
      location: "[parameters('location')]",
      tags: "[parameters('tags')]",
      dependsOn: ["[resourceId('Microsoft.Compute/virtualMachines', parameters('vmName'))]"],
      properties: {
        publisher: 'Microsoft.Azure.Extensions',
        type: 'CustomScript',
        typeHandlerVersion: '2.1',
        autoUpgradeMinorVersion: true,
        protectedSettings: { script: "[parameters('installScript')]" },
      },
    },
  ],
  outputs: {
    publicIP: { type: 'string', value: "[reference(resourceId('Microsoft.Network/publicIPAddresses', variables('publicIPName'))).ipAddress]" },
    fqdn: { type: 'string', value: "[reference(resourceId('Microsoft.Network/publicIPAddresses', variables('publicIPName'))).dnsSettings.fqdn]" },
    vmId: { type: 'string', value: "[reference(resourceId('Microsoft.Compute/virtualMachines', parameters('vmName'))).vmId]" },
    adminUsername: { type: 'string', value: "[parameters('adminUsername')]" },
    appPort: { type: 'int', value: "[parameters('appPort')]" },
  },
};

/** api-version per resource type, for deleting the template's resources (and the implicit OS disk) one by one. */
export const TEMPLATE_API_VERSIONS: Record<string, string> = {
  ...Object.fromEntries(APP_VM_TEMPLATE.resources.map((r) => [r.type, r.apiVersion])),
  'Microsoft.Compute/disks': '2024-03-02',
};

export interface AppVmInputs {
  vmName: string;
  dnsLabel: string;
  adminUsername: string;
  /** OpenSSH public key ("ssh-rsa AAAA…"). */
  adminPublicKey: string;
  /** base64 of the first-boot script. */
  installScript: string;
  spec: ResolvedSpec;
  tags: Record<string, string>;
}

/** Catalogue images are `publisher:offer:sku[:version]`. */
export function parseImage(image: string): { publisher: string; offer: string; sku: string; version: string } {
  const [publisher, offer, sku, version = 'latest'] = image.split(':');
  if (!publisher || !offer || !sku) throw new Error(`Azure image '${image}' is not publisher:offer:sku[:version]`);
  return { publisher, offer, sku, version };
}

/** The deployment's parameters, each wrapped `{ value }` as ARM wants them. */
export function templateParameters(i: AppVmInputs): Record<string, { value: unknown }> {
  const image = parseImage(i.spec.image);
  return {
    vmName: { value: i.vmName },
    location: { value: i.spec.region },
    vmSize: { value: i.spec.size },
    adminUsername: { value: i.adminUsername },
    authenticationType: { value: 'sshPublicKey' },
    adminPasswordOrKey: { value: i.adminPublicKey },
    dnsLabelPrefix: { value: i.dnsLabel },
    imagePublisher: { value: image.publisher },
    imageOffer: { value: image.offer },
    imageSku: { value: image.sku },
    imageVersion: { value: image.version },
    appPort: { value: i.spec.port ?? 80 },
    installScript: { value: i.installScript },
    tags: { value: i.tags },
  };
}
