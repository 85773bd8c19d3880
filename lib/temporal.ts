// One way to reach Temporal for the API, the worker and the scripts: the local dev server by default,
// or TEMPORAL_ADDRESS with optional mTLS (TEMPORAL_TLS_*) or an API key (Temporal Cloud).
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from './config';

function tlsOptions(cfg: Config['temporal']) {
  if (cfg.tls) {
    return {
      serverNameOverride: cfg.tls.serverName,
      serverRootCACertificate: cfg.tls.ca ? Buffer.from(cfg.tls.ca) : undefined,
      clientCertPair: cfg.tls.cert && cfg.tls.key ? { crt: Buffer.from(cfg.tls.cert), key: Buffer.from(cfg.tls.key) } : undefined,
    };
  }
  // API keys are only accepted over TLS.
  return cfg.apiKey ? true : undefined;
}

export function temporalAddress(cfg: Config['temporal']): string {
  return cfg.address ?? `127.0.0.1:${cfg.devPort}`;
}

export function connectionOptions(cfg: Config['temporal']): ConnectionOptions {
  return { address: temporalAddress(cfg), tls: tlsOptions(cfg), apiKey: cfg.apiKey };
}

export function nativeConnectionOptions(cfg: Config['temporal']): NativeConnectionOptions {
  return { address: temporalAddress(cfg), tls: tlsOptions(cfg), apiKey: cfg.apiKey };
}

export async function connectClient(cfg: Config['temporal']): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(cfg));
  return new Client({ connection, namespace: cfg.namespace });
}

/** Link to a workflow in the Temporal UI, for the console and the operator views. */
export function temporalUiLink(cfg: Config['temporal'], workflowId: string, runId?: string): string {
  const base = `${cfg.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(cfg.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}` : base;
}
