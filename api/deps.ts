// What the API is built from; created once in api/main.ts, injected so tests can build their own.
import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { SecretBox } from '../lib/secrets';
import type { RateLimits } from './rate-limit';

export interface ApiDeps {
  config: Config;
  db: Db;
  temporal: Client;
  secrets: SecretBox;
  log: Logger;
  /** Overrides of the default rate limits (api/rate-limit.ts). */
  limits?: Partial<RateLimits>;
  /** Server-Sent Events tuning: keep-alive comment interval, fallback poll, longest stream. */
  sse?: { heartbeatMs?: number; pollMs?: number; maxStreamMs?: number };
  /** How long the API waits for a short workflow (commands, metrics, credential checks). */
  shortWorkflowTimeoutMs?: number;
}
