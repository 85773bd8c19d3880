// The shared pieces every process (API, worker, scripts) builds from configuration.
import { createDb, type Db } from './db';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { createSecretBox, loadKeys, type SecretBox } from './secrets';

export interface Platform {
  db: Db;
  secrets: SecretBox;
  log: Logger;
}

export function databaseUrlOf(config: Config): string {
  if (!config.database.url) throw new Error('DATABASE_URL is not set (scripts/start.ts sets it for the embedded Postgres)');
  return config.database.url;
}

export function openPlatform(config: Config, name: string): Platform {
  return {
    db: createDb(databaseUrlOf(config)),
    secrets: createSecretBox(loadKeys(config.encryptionKeySource)),
    log: createLogger({ level: config.logLevel, name }),
  };
}
