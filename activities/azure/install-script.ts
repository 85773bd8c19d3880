// The first-boot script the CustomScript extension runs as root on the new VM: Node.js 22, the app
// from npm, and a systemd service listening on the catalogue's port. Built only from catalogue
// values (template name, port), never from customer text.
import type { ResolvedSpec } from '../../lib/catalog';

interface AppRecipe {
  npmPackage: string;
  /** The service's command line; `{port}` is replaced by the app port. */
  command: string;
}

const RECIPES: Record<string, AppRecipe> = {
  // OpenClaw's gateway serves its UI and `/health` on the given port; `--bind lan` listens beyond loopback.
  openclaw: { npmPackage: 'openclaw@latest', command: '/usr/bin/openclaw gateway run --port {port} --bind lan --allow-unconfigured' },
};

export function installScriptFor(spec: ResolvedSpec): string {
  const recipe = RECIPES[spec.template];
  if (!recipe) throw new Error(`no Azure install recipe for template '${spec.template}'`);
  const port = spec.port ?? 80;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid app port ${port}`);
  const service = spec.template.replace(/[^a-z0-9-]/g, '');
  return `#!/bin/bash
# Tenantry first boot: install ${service} and run it as a service on port ${port}.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -y
apt-get install -y ca-certificates curl
curl -fsSL https://deb.nodesource.com/setup_22.x | bash -
apt-get install -y nodejs
npm install -g ${recipe.npmPackage}
id -u ${service} >/dev/null 2>&1 || useradd --system --create-home --shell /usr/sbin/nologin ${service}
cat >/etc/systemd/system/${service}.service <<'UNIT'
[Unit]
Description=${service} (installed by Tenantry)
After=network-online.target
Wants=network-online.target

[Service]
User=${service}
ExecStart=${recipe.command.replace('{port}', String(port))}
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now ${service}.service
`;
}

/** CustomScript v2 takes the script base64-encoded. */
export function encodedInstallScript(spec: ResolvedSpec): string {
  return Buffer.from(installScriptFor(spec), 'utf8').toString('base64');
}
