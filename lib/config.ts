// Configuration from the environment (BRIEF §4). Every variable is optional: without it the local
// stack runs on embedded defaults (embedded Postgres, a Temporal dev server, provider simulators).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ProviderName } from './catalog';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const envSchema = z.object({
  TENANTRY_DATA_DIR: optional,
  /** Labels every Docker object this deployment creates, so stacks sharing an engine never touch each other's. */
  TENANTRY_STACK_ID: z.string().regex(/^[a-z0-9-]{1,40}$/).default('local'),
  DATABASE_URL: optional,
  TENANTRY_PG_PORT: port(54329),
  TEMPORAL_ADDRESS: optional,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('tenantry'),
  TEMPORAL_TLS_CERT: optional,
  TEMPORAL_TLS_KEY: optional,
  TEMPORAL_TLS_CA: optional,
  TEMPORAL_TLS_SERVER_NAME: optional,
  TEMPORAL_API_KEY: optional,
  TEMPORAL_UI_URL: optional,
  TEMPORAL_DEV_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  PORT: port(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optional,
  ENCRYPTION_KEY: optional,
  ENCRYPTION_KEY_FILE: optional,
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  ORKA_ENDPOINT: optional,
  ORKA_TOKEN: optional,
  ORKA_NAMESPACE: z.string().default('orka-default'),
  AZURE_TENANT_ID: optional,
  AZURE_CLIENT_ID: optional,
  AZURE_CLIENT_SECRET: optional,
  AZURE_SUBSCRIPTION_ID: optional,
  AZURE_ARM_ENDPOINT: optional,
  AZURE_AUTHORITY_HOST: optional,
  /** PEM file of extra CA certificates trusted for Azure calls only (e.g. the ARM simulator's). */
  AZURE_CA_CERT_FILE: optional,
  DOCKER_HOST: optional,
  /** Admin URL of the tenant Postgres (apps' schemas and roles); else an embedded one. */
  TENANT_DATABASE_URL: optional,
  /** host:port of the tenant Postgres as app containers reach it. */
  TENANT_DATABASE_APP_HOST: optional,
  TENANT_PG_PORT: port(54330),
  APPS_PROXY_DIR: optional,
  /** Providers served by the project's simulators (set by npm start); the console labels them sandbox. */
  TENANTRY_SANDBOX_PROVIDERS: optional,
  PROVISION_CAP_DOCKER: z.coerce.number().int().min(1).default(4),
  PROVISION_CAP_ORKA: z.coerce.number().int().min(1).default(2),
  PROVISION_CAP_AZURE: z.coerce.number().int().min(1).default(4),
  /** Tenant apps answer at <instance>.<tenant>.<APPS_BASE_DOMAIN>. */
  APPS_BASE_DOMAIN: z.string().default('localhost'),
  APPS_PROXY_PORT: port(8080),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  dataDir: string;
  stackId: string;
  database: { url?: string; embeddedPort: number };
  temporal: {
    /** Undefined: run the local dev server from temporal-dev/. */
    address?: string;
    namespace: string;
    taskQueue: string;
    tls?: { cert?: string; key?: string; ca?: string; serverName?: string };
    apiKey?: string;
    uiUrl: string;
    devPort: number;
    uiPort: number;
  };
  api: { host: string; port: number; publicUrl: string };
  logLevel: Env['LOG_LEVEL'];
  encryptionKeySource: { key?: string; file: string };
  orka: { endpoint?: string; token?: string; namespace: string };
  azure: {
    tenantId?: string;
    clientId?: string;
    clientSecret?: string;
    subscriptionId?: string;
    armEndpoint?: string;
    authorityHost?: string;
    caCertFile?: string;
  };
  docker: { host?: string };
  tenantDatabase: { url?: string; appHost?: string; embeddedPort: number };
  apps: { baseDomain: string; proxyPort: number; proxyDir: string };
  provisionCaps: { docker: number; orka: number; azure: number };
  /** Providers this deployment offers, and which of them are simulators. */
  providers: { offered: ProviderName[]; sandbox: ProviderName[] };
}

export class ConfigError extends Error {}

function offeredProviders(e: Env): Config['providers'] {
  const offered: ProviderName[] = ['docker'];
  if (e.ORKA_ENDPOINT && e.ORKA_TOKEN) offered.push('orka');
  if (e.AZURE_ARM_ENDPOINT || e.AZURE_SUBSCRIPTION_ID) offered.push('azure');
  const sandbox = (e.TENANTRY_SANDBOX_PROVIDERS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p): p is ProviderName => offered.includes(p as ProviderName));
  return { offered, sandbox };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.TENANTRY_DATA_DIR ?? join(projectRoot, '.data'));
  const tlsSet = e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_KEY || e.TEMPORAL_TLS_CA;
  const readPem = (p?: string) => (p === undefined ? undefined : existsSync(p) ? readFileSync(p, 'utf8') : p);
  return {
    dataDir,
    stackId: e.TENANTRY_STACK_ID,
    database: { url: e.DATABASE_URL, embeddedPort: e.TENANTRY_PG_PORT },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      tls: tlsSet
        ? {
            cert: readPem(e.TEMPORAL_TLS_CERT),
            key: readPem(e.TEMPORAL_TLS_KEY),
            ca: readPem(e.TEMPORAL_TLS_CA),
            serverName: e.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      apiKey: e.TEMPORAL_API_KEY,
      uiUrl: e.TEMPORAL_UI_URL ?? `http://localhost:${e.TEMPORAL_UI_PORT}`,
      devPort: e.TEMPORAL_DEV_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
    },
    api: { host: e.HOST, port: e.PORT, publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}` },
    logLevel: e.LOG_LEVEL,
    encryptionKeySource: { key: e.ENCRYPTION_KEY, file: e.ENCRYPTION_KEY_FILE ?? join(dataDir, 'encryption.key') },
    orka: { endpoint: e.ORKA_ENDPOINT, token: e.ORKA_TOKEN, namespace: e.ORKA_NAMESPACE },
    azure: {
      tenantId: e.AZURE_TENANT_ID,
      clientId: e.AZURE_CLIENT_ID,
      clientSecret: e.AZURE_CLIENT_SECRET,
      subscriptionId: e.AZURE_SUBSCRIPTION_ID,
      armEndpoint: e.AZURE_ARM_ENDPOINT,
      authorityHost: e.AZURE_AUTHORITY_HOST,
      caCertFile: e.AZURE_CA_CERT_FILE,
    },
    docker: { host: e.DOCKER_HOST },
    tenantDatabase: { url: e.TENANT_DATABASE_URL, appHost: e.TENANT_DATABASE_APP_HOST, embeddedPort: e.TENANT_PG_PORT },
    apps: { baseDomain: e.APPS_BASE_DOMAIN, proxyPort: e.APPS_PROXY_PORT, proxyDir: e.APPS_PROXY_DIR ?? join(dataDir, 'app-proxy') },
    provisionCaps: { docker: e.PROVISION_CAP_DOCKER, orka: e.PROVISION_CAP_ORKA, azure: e.PROVISION_CAP_AZURE },
    providers: offeredProviders(e),
  };
}
