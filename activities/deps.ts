// What activities are built from. The worker creates these once; tests inject their own.
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { SecretBox } from '../lib/secrets';

export interface PlatformDeps {
  db: Db;
  secrets: SecretBox;
  log: Logger;
}
