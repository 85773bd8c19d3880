// What the API is built from; created once in api/server.ts, injected so tests can build their own.
import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { SecretBox } from '../lib/secrets';

export interface ApiDeps {
  config: Config;
  db: Db;
  temporal: Client;
  secrets: SecretBox;
  log: Logger;
}
