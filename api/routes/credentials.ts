// An organization's own cloud credentials (e.g. an Azure service principal), used instead of the
// platform's for its instances. The secret is sealed (AES-256-GCM, bound to the credential id) the
// moment it arrives and never leaves the server again: lists show public fields and status only.
// Validation runs as a workflow (validateCredentialWorkflow), which signs in at the provider; the API
// itself never calls a provider.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ProviderName } from '../../lib/catalog';
import { credentialWorkflowId, validateCredentialWorkflow } from '../../workflows/credential';
import { actorOf } from '../auth/access';
import { audit } from '../audit';
import type { ApiDeps } from '../deps';
import { badRequest, conflict, notFound, type FieldError } from '../errors';
import { route } from '../route';
import { displayName, providerSchema, tenantIdParams, uuid } from '../schemas';
import { inTenant } from '../tenant-scope';
import { awaitShort } from '../workflow-calls';
import { CREDENTIAL_FIELDS } from './tenants';

const credentialSchema = z.object({
  id: z.string(),
  provider: providerSchema,
  name: z.string(),
  publicFields: z.record(z.string(), z.string()),
  secret: z.literal('stored').describe('the secret is kept encrypted and never returned'),
  status: z.enum(['unvalidated', 'valid', 'invalid']),
  statusMessage: z.string().nullable(),
  lastValidatedAt: z.string().nullable(),
  createdAt: z.string(),
});

const credentialParams = tenantIdParams.extend({ credentialId: uuid('a credential id') });

/** Public fields per provider; Azure's are GUIDs. */
const publicFieldSchemas: Partial<Record<ProviderName, z.ZodType<Record<string, string>>>> = {
  azure: z.object({
    tenantId: z.uuid('must be the directory (tenant) id, a GUID'),
    clientId: z.uuid('must be the application (client) id, a GUID'),
    subscriptionId: z.uuid('must be the subscription id, a GUID'),
  }),
};

const columns = { id: true, provider: true, name: true, publicFields: true, status: true, statusMessage: true, lastValidatedAt: true, createdAt: true } as const;
type Row = { id: string; provider: ProviderName; name: string; publicFields: unknown; status: 'unvalidated' | 'valid' | 'invalid'; statusMessage: string | null; lastValidatedAt: Date | null; createdAt: Date };
const out = (c: Row) => ({
  id: c.id,
  provider: c.provider,
  name: c.name,
  publicFields: (c.publicFields ?? {}) as Record<string, string>,
  secret: 'stored' as const,
  status: c.status,
  statusMessage: c.statusMessage,
  lastValidatedAt: c.lastValidatedAt?.toISOString() ?? null,
  createdAt: c.createdAt.toISOString(),
});

export function credentialRoutes(deps: ApiDeps) {
  /** Instance lifecycles of this organization still running with this credential. */
  async function instancesUsing(tenantId: string, credentialId: string): Promise<string[]> {
    const ids: string[] = [];
    const query = `TenantId = "${tenantId}" AND WorkflowType = "instanceWorkflow" AND ExecutionStatus = "Running" AND TaskQueue = "${deps.config.temporal.taskQueue}"`;
    for await (const wf of deps.temporal.workflow.list({ query })) {
      const memo = (wf.memo ?? {}) as { credentialId?: string | null };
      if (memo.credentialId === credentialId) ids.push(wf.workflowId.replace(/^instance-/, ''));
    }
    return ids;
  }

  return [
    route<z.infer<typeof tenantIdParams>>({
      method: 'get',
      path: '/tenants/{tenantId}/credentials',
      summary: 'Cloud credentials of the organization: public fields and validation status (never secrets)',
      tags: ['credentials'],
      access: { kind: 'tenant', minRole: 'viewer' },
      params: tenantIdParams,
      responses: { 200: { description: 'Credentials', schema: z.object({ items: z.array(credentialSchema) }) } },
      async handler({ params }) {
        const rows = await inTenant(deps.db, params.tenantId, (tx) => tx.providerCredential.findMany({ where: { tenantId: params.tenantId }, select: columns, orderBy: { createdAt: 'asc' } }));
        return { status: 200, body: { items: rows.map(out) } };
      },
    }),

    route<z.infer<typeof tenantIdParams>, Record<string, never>, { provider: ProviderName; name: string; publicFields: Record<string, unknown>; secret: string }>({
      method: 'post',
      path: '/tenants/{tenantId}/credentials',
      summary: 'Add a cloud credential (admins); the secret is encrypted at once and never shown again',
      description: 'Azure: `publicFields` = `{tenantId, clientId, subscriptionId}` and `secret` = the client secret.',
      tags: ['credentials'],
      access: { kind: 'tenant', minRole: 'admin' },
      params: tenantIdParams,
      idempotency: 'optional',
      body: z.object({
        provider: providerSchema,
        name: displayName(64),
        publicFields: z.record(z.string().max(64), z.unknown()).default({}),
        secret: z.string().min(1, 'is required').max(4096, 'must be at most 4096 characters'),
      }),
      responses: { 201: { description: 'Added (status unvalidated)', schema: credentialSchema }, 409: { description: 'A credential with this name exists' } },
      async handler({ req, params, body, access }) {
        const fieldsSchema = publicFieldSchemas[body.provider];
        if (!fieldsSchema || !CREDENTIAL_FIELDS[body.provider]) {
          throw badRequest(`${body.provider} instances run on the platform’s own account; it takes no organization credentials`, [
            { field: 'provider', message: `does not take organization credentials (these do: ${Object.keys(CREDENTIAL_FIELDS).join(', ')})` },
          ]);
        }
        const fields = fieldsSchema.safeParse(body.publicFields);
        if (!fields.success) {
          const errors: FieldError[] = fields.error.issues.map((i) => ({ field: ['publicFields', ...i.path.map(String)].join('.'), message: i.message }));
          throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
        }
        const id = randomUUID();
        const row = await inTenant(deps.db, params.tenantId, async (tx) => {
          if (await tx.providerCredential.findFirst({ where: { tenantId: params.tenantId, provider: body.provider, name: body.name }, select: { id: true } })) {
            throw conflict('a credential with this name exists for this provider', [{ field: 'name', message: 'is already used' }]);
          }
          return tx.providerCredential.create({
            data: { id, tenantId: params.tenantId, provider: body.provider, name: body.name, publicFields: fields.data, secretCiphertext: deps.secrets.seal(body.secret, `credential:${id}`) },
            select: columns,
          });
        });
        await audit(deps, req, { access, action: 'credential.create', tenantId: params.tenantId, targetType: 'credential', targetId: id, details: { provider: body.provider, name: body.name } });
        return { status: 201, body: out(row) };
      },
    }),

    route<z.infer<typeof credentialParams>>({
      method: 'post',
      path: '/tenants/{tenantId}/credentials/{credentialId}/validate',
      summary: 'Validate a credential at its provider (through a workflow) and record the verdict',
      tags: ['credentials'],
      access: { kind: 'tenant', minRole: 'admin' },
      params: credentialParams,
      responses: {
        200: { description: 'The verdict and the updated credential', schema: z.object({ status: z.enum(['valid', 'invalid']), message: z.string().nullable(), credential: credentialSchema }) },
      },
      async handler({ req, res, params, access }) {
        const cred = await inTenant(deps.db, params.tenantId, (tx) => tx.providerCredential.findFirst({ where: { id: params.credentialId, tenantId: params.tenantId }, select: columns }));
        if (!cred) throw notFound('credential');
        const handle = await deps.temporal.workflow.start(validateCredentialWorkflow, {
          taskQueue: deps.config.temporal.taskQueue,
          workflowId: credentialWorkflowId(cred.id, res.locals.requestId as string),
          workflowExecutionTimeout: '2 minutes',
          args: [{ tenantId: params.tenantId, credentialId: cred.id, provider: cred.provider, requestedBy: actorOf(access.principal, access) }],
        });
        const verdict = await awaitShort(handle.result(), deps.shortWorkflowTimeoutMs ?? 90_000, 'the validation');
        const after = await inTenant(deps.db, params.tenantId, (tx) => tx.providerCredential.findUniqueOrThrow({ where: { id: cred.id }, select: columns }));
        await audit(deps, req, { access, action: 'credential.validate.request', tenantId: params.tenantId, targetType: 'credential', targetId: cred.id, details: { verdict: verdict.status } });
        return { status: 200, body: { status: verdict.status, message: verdict.message ?? null, credential: out(after) } };
      },
    }),

    route<z.infer<typeof credentialParams>>({
      method: 'delete',
      path: '/tenants/{tenantId}/credentials/{credentialId}',
      summary: 'Delete a credential (admins); refused while an instance runs with it',
      tags: ['credentials'],
      access: { kind: 'tenant', minRole: 'admin' },
      params: credentialParams,
      responses: { 204: { description: 'Deleted' }, 409: { description: 'Instances use it' } },
      async handler({ req, params, access }) {
        const cred = await inTenant(deps.db, params.tenantId, (tx) => tx.providerCredential.findFirst({ where: { id: params.credentialId, tenantId: params.tenantId }, select: { id: true } }));
        if (!cred) throw notFound('credential');
        const users = await instancesUsing(params.tenantId, cred.id);
        if (users.length) throw conflict(`instances use this credential (${users.join(', ')}); destroy them first`);
        await inTenant(deps.db, params.tenantId, (tx) => tx.providerCredential.deleteMany({ where: { id: cred.id, tenantId: params.tenantId } }));
        await audit(deps, req, { access, action: 'credential.delete', tenantId: params.tenantId, targetType: 'credential', targetId: cred.id });
        return { status: 204 };
      },
    }),
  ];
}
