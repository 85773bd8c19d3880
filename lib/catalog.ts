// What customers can order: per provider, the templates (what runs) and sizes (how big), with
// defaults so `{name, provider}` is enough. Prices live in the database (`prices`), quotas in `plans`.
// Pure data, safe to import from workflows, the API and the console alike.

export type ProviderName = 'docker' | 'orka' | 'azure';
export const PROVIDERS: readonly ProviderName[] = ['docker', 'orka', 'azure'];

export interface SizeSpec {
  /** Whole or fractional vCPUs, as the provider allocates them. */
  vcpu: number;
  memoryMb: number;
  label: string;
}

export interface TemplateSpec {
  label: string;
  description: string;
  /** Docker: image tag; Orka: image name; Azure: the app installed on first boot. */
  image: string;
  /** Docker/Azure: the port the app listens on; its health endpoint answers 200 when ready. */
  port?: number;
  healthPath?: string;
}

export interface ProviderCatalog {
  label: string;
  description: string;
  regions: string[];
  defaultRegion: string;
  sizes: Record<string, SizeSpec>;
  defaultSize: string;
  templates: Record<string, TemplateSpec>;
  defaultTemplate: string;
}

export const CATALOG: Record<ProviderName, ProviderCatalog> = {
  docker: {
    label: 'Docker app',
    description: 'A containerized app with its own Postgres schema, at its own subdomain',
    regions: ['local'],
    defaultRegion: 'local',
    sizes: {
      small: { vcpu: 0.25, memoryMb: 256, label: '0.25 vCPU · 256 MB' },
      medium: { vcpu: 0.5, memoryMb: 512, label: '0.5 vCPU · 512 MB' },
    },
    defaultSize: 'small',
    templates: {
      'demo-app': {
        label: 'Demo app',
        description: 'A small web app that names its tenant and uses its own database schema',
        image: 'tenantry/demo-app:1',
        port: 8080,
        healthPath: '/healthz',
      },
    },
    defaultTemplate: 'demo-app',
  },
  orka: {
    label: 'macOS VM (Orka)',
    description: 'An isolated Mac on MacStadium Orka, with SSH and VNC',
    regions: ['orka-default'],
    defaultRegion: 'orka-default',
    sizes: {
      standard: { vcpu: 4, memoryMb: 8192, label: '4 vCPU · 8 GB' },
      large: { vcpu: 8, memoryMb: 16384, label: '8 vCPU · 16 GB' },
    },
    defaultSize: 'standard',
    templates: {
      sonoma: { label: 'macOS Sonoma', description: 'macOS 14 with Xcode command line tools', image: 'sonoma-90gb-orka3-arm' },
      sequoia: { label: 'macOS Sequoia', description: 'macOS 15', image: 'sequoia-90gb-orka3-arm' },
    },
    defaultTemplate: 'sonoma',
  },
  azure: {
    label: 'Linux VM (Azure)',
    description: 'An Ubuntu VM in its own resource group with an app installed on first boot',
    regions: ['eastus', 'westus2', 'westeurope', 'southeastasia'],
    defaultRegion: 'eastus',
    sizes: {
      Standard_B1s: { vcpu: 1, memoryMb: 1024, label: 'B1s · 1 vCPU · 1 GB' },
      Standard_B2s: { vcpu: 2, memoryMb: 4096, label: 'B2s · 2 vCPU · 4 GB' },
      Standard_B4ms: { vcpu: 4, memoryMb: 16384, label: 'B4ms · 4 vCPU · 16 GB' },
      Standard_D2s_v3: { vcpu: 2, memoryMb: 8192, label: 'D2s v3 · 2 vCPU · 8 GB' },
    },
    defaultSize: 'Standard_B2s',
    templates: {
      openclaw: { label: 'OpenClaw', description: 'OpenClaw installed by a first-boot script', image: 'Canonical:ubuntu-24_04-lts:server', port: 3000, healthPath: '/health' },
    },
    defaultTemplate: 'openclaw',
  },
};

export interface ResolvedSpec {
  template: string;
  size: string;
  region: string;
  vcpu: number;
  memoryMb: number;
  image: string;
  port?: number;
  healthPath?: string;
}

/** Fills defaults and checks the choice against the catalogue; returns field errors instead of throwing. */
export function resolveSpec(
  provider: ProviderName,
  choice: { template?: string; size?: string; region?: string },
): { ok: true; spec: ResolvedSpec } | { ok: false; errors: { field: string; message: string }[] } {
  const c = CATALOG[provider];
  const template = choice.template ?? c.defaultTemplate;
  const size = choice.size ?? c.defaultSize;
  const region = choice.region ?? c.defaultRegion;
  const errors: { field: string; message: string }[] = [];
  if (!c.templates[template]) errors.push({ field: 'template', message: `must be one of ${Object.keys(c.templates).join(', ')} for ${provider}` });
  if (!c.sizes[size]) errors.push({ field: 'size', message: `must be one of ${Object.keys(c.sizes).join(', ')} for ${provider}` });
  if (!c.regions.includes(region)) errors.push({ field: 'region', message: `must be one of ${c.regions.join(', ')} for ${provider}` });
  if (errors.length) return { ok: false, errors };
  const t = c.templates[template];
  const s = c.sizes[size];
  return { ok: true, spec: { template, size, region, vcpu: s.vcpu, memoryMb: s.memoryMb, image: t.image, port: t.port, healthPath: t.healthPath } };
}
