// Registering our search attributes: as dev-server flags locally, through the operator service on a
// self-hosted cluster. (On Temporal Cloud they are created in the namespace settings; the call below
// then fails with PERMISSION_DENIED and we only check they exist.)
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { allSearchAttributeKeys } from '../workflows/search-attributes';

const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

export function searchAttributeFlags(): string[] {
  return allSearchAttributeKeys.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]);
}

/** Idempotent: adds the attributes that are missing, leaves existing ones alone. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = allSearchAttributeKeys.filter((k) => !(k.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, KEYWORD])),
    });
  } catch (err) {
    throw new Error(
      `search attributes ${missing.map((k) => k.name).join(', ')} are not registered in namespace "${namespace}" ` +
        `and could not be added (${(err as Error).message}). Register them as Keyword: ` +
        `temporal operator search-attribute create --namespace ${namespace} ${missing.map((k) => `--name ${k.name} --type Keyword`).join(' ')}`,
    );
  }
}
