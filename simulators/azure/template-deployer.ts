// Template deployments: `planDeployment` is ARM's preflight (parameters, expressions, resource
// names, dependency order, VM sizes and vCPU quota; failures are synchronous 400s), `runDeployment`
// then creates the resources one by one over `deploymentDurationMs` and evaluates the outputs.
// Supported: parameters (types, defaults, allowedValues, lengths), variables, condition, dependsOn,
// nested child resources, outputs. Not supported (InvalidTemplate says so): copy loops, linked
// templates, modules.
import { createHash, randomUUID } from 'node:crypto';
import { ArmError, armErrorDetail, type ArmErrorDetail } from './arm-error';
import { normalizeLocation, REGIONS, findVmSize } from './cloud-catalog';
import { provisionResource, validateVmDefinition, type EvaluatedResource } from './resource-provisioner';
import { DEFERRED, TemplateExpressionError, evaluateDeep, type FunctionTable } from './template-expressions';
import { STANDARD_FUNCTIONS } from './template-functions';
import { resourceGroupId, resourceIdFor, type DeploymentRecord, type ResourceGroupRecord, type SimulatorState } from './state';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const lc = (s: string) => s.toLowerCase();

interface PlannedResource {
  id: string;
  type: string;
  apiVersion: string;
  name: string;
  location: string;
  dependsOn: string[];
  definition: Obj;
}

export interface DeploymentPlan {
  deploymentName: string;
  resourceGroup: ResourceGroupRecord;
  mode: string;
  templateHash: string;
  parameters: Record<string, { type: string; value: unknown }>;
  resources: PlannedResource[];
  outputs: Obj;
  variables: Obj;
}

const invalidTemplate = (message: string) => new ArmError(400, 'InvalidTemplate', `Deployment template validation failed: '${message}'.`);

const TYPE_NAMES: Record<string, string> = {
  string: 'String',
  securestring: 'SecureString',
  int: 'Int',
  bool: 'Bool',
  object: 'Object',
  secureobject: 'SecureObject',
  array: 'Array',
};

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
    case 'securestring':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
    case 'secureobject':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return false;
  }
}

function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).digest();
  return digest.readBigUInt64BE(0).toString();
}

/** Functions for one deployment; `reference` is live (runtime) or DEFERRED (preflight). */
function deploymentFunctions(
  state: SimulatorState,
  rg: ResourceGroupRecord,
  deploymentName: string,
  params: Record<string, { type: string; value: unknown }>,
  variables: Obj,
  planned: () => PlannedResource[],
  preflight: boolean,
): FunctionTable {
  const variableCache = new Map<string, unknown>();
  const evaluating = new Set<string>();
  const sub = state.subscriptions.get(rg.subscriptionId)!;
  const fns: FunctionTable = {
    ...STANDARD_FUNCTIONS,
    parameters: (name) => {
      const key = Object.keys(params).find((k) => lc(k) === lc(String(name)));
      if (key === undefined) throw new TemplateExpressionError(`The template parameter '${String(name)}' is not found.`);
      return params[key].value;
    },
    variables: (name) => {
      const key = Object.keys(variables).find((k) => lc(k) === lc(String(name)));
      if (key === undefined) throw new TemplateExpressionError(`The template variable '${String(name)}' is not found.`);
      if (variableCache.has(key)) return variableCache.get(key);
      if (evaluating.has(key)) throw new TemplateExpressionError(`The template variable '${key}' has a circular reference.`);
      evaluating.add(key);
      const value = evaluateDeep(variables[key], fns);
      evaluating.delete(key);
      variableCache.set(key, value);
      return value;
    },
    resourceGroup: () => ({
      id: resourceGroupId(rg.subscriptionId, rg.name),
      name: rg.name,
      type: 'Microsoft.Resources/resourceGroups',
      location: rg.location,
      tags: rg.tags,
      properties: { provisioningState: rg.provisioningState },
    }),
    subscription: () => ({ id: `/subscriptions/${sub.subscriptionId}`, subscriptionId: sub.subscriptionId, tenantId: sub.tenantId, displayName: sub.displayName }),
    deployment: () => ({ name: deploymentName, properties: {} }),
    resourceId: (...args) => {
      const strings = args.map(String);
      const typeIndex = strings.findIndex((s) => s.includes('/'));
      if (typeIndex < 0) throw new TemplateExpressionError('resourceId() needs a resource type such as Microsoft.Network/publicIPAddresses');
      const before = strings.slice(0, typeIndex);
      const subscriptionId = before.length === 2 ? before[0] : rg.subscriptionId;
      const rgName = before.length >= 1 ? before[before.length - 1] : rg.name;
      return resourceIdFor(subscriptionId, rgName, strings[typeIndex], strings.slice(typeIndex + 1).join('/'));
    },
    reference: (idOrName, _apiVersion, full) => {
      if (preflight) return DEFERRED;
      const text = String(idOrName);
      const id = text.startsWith('/') ? text : planned().find((p) => lc(p.name) === lc(text))?.id;
      const record = id ? state.findResource(id) : undefined;
      if (!record) throw new TemplateExpressionError(`The Resource '${text}' under resource group '${rg.name}' was not found.`);
      return lc(String(full ?? '')) === 'full' ? { ...record, properties: record.properties } : record.properties;
    },
  };
  return fns;
}

function resolveParameters(template: Obj, provided: Obj, fnsFor: (params: Record<string, { type: string; value: unknown }>) => FunctionTable) {
  const declared = obj(template.parameters);
  const declaredNames = Object.keys(declared);
  for (const name of Object.keys(provided)) {
    if (!declaredNames.some((d) => lc(d) === lc(name))) {
      throw invalidTemplate(
        `The template parameters '${name}' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time. The only supported parameters for this template are '${declaredNames.join(', ')}'`,
      );
    }
  }
  const params: Record<string, { type: string; value: unknown }> = {};
  const fns = fnsFor(params);
  for (const name of declaredNames) {
    const spec = obj(declared[name]);
    const type = lc(String(spec.type ?? ''));
    if (!TYPE_NAMES[type]) throw invalidTemplate(`The template parameter '${name}' has an invalid type '${String(spec.type)}'`);
    const givenKey = Object.keys(provided).find((k) => lc(k) === lc(name));
    const given = givenKey === undefined ? undefined : obj(provided[givenKey]);
    if (given && given.reference !== undefined) throw invalidTemplate(`Key Vault references (parameter '${name}') are not supported by the simulator`);
    let value: unknown;
    if (given && 'value' in given) value = given.value;
    else if ('defaultValue' in spec) value = evaluateDeep(spec.defaultValue, fns);
    else throw invalidTemplate(`The value for the template parameter '${name}' at line '1' and column '1' is not provided. Please see https://aka.ms/arm-create-parameter-file for usage details`);
    if (!typeMatches(type, value)) {
      throw invalidTemplate(`Template parameter '${name}' was provided an invalid value. Expected a value of type '${TYPE_NAMES[type]}', but received a value of type '${Array.isArray(value) ? 'Array' : typeof value}'`);
    }
    const allowed = spec.allowedValues;
    if (Array.isArray(allowed) && !allowed.some((a) => JSON.stringify(a) === JSON.stringify(value))) {
      throw invalidTemplate(`The provided value '${String(value)}' for the template parameter '${name}' is not valid. The parameter value is not part of the allowed value(s): '${allowed.join(',')}'`);
    }
    if (typeof value === 'string') {
      if (typeof spec.minLength === 'number' && value.length < spec.minLength) throw invalidTemplate(`The provided value for the template parameter '${name}' is shorter than the minimum length ${spec.minLength}`);
      if (typeof spec.maxLength === 'number' && value.length > spec.maxLength) throw invalidTemplate(`The provided value for the template parameter '${name}' is longer than the maximum length ${spec.maxLength}`);
    }
    if (typeof value === 'number') {
      if (typeof spec.minValue === 'number' && value < spec.minValue) throw invalidTemplate(`The provided value for the template parameter '${name}' is below the minimum value ${spec.minValue}`);
      if (typeof spec.maxValue === 'number' && value > spec.maxValue) throw invalidTemplate(`The provided value for the template parameter '${name}' is above the maximum value ${spec.maxValue}`);
    }
    params[name] = { type, value };
  }
  return params;
}

/** Flattens nested child resources (`resources` inside a resource) into full type/name pairs. */
function flattenResources(list: unknown, parent?: { type: string; name: string; id?: string }): { definition: Obj; parent?: { type: string; name: string } }[] {
  if (!Array.isArray(list)) throw invalidTemplate("The template 'resources' property must be an array");
  return list.flatMap((entry) => {
    const definition = obj(entry);
    if (definition.copy !== undefined) throw invalidTemplate("'copy' loops are not supported by the simulator");
    if (lc(String(definition.type ?? '')) === 'microsoft.resources/deployments') throw invalidTemplate('nested deployments are not supported by the simulator');
    const here = { definition, parent };
    const children = definition.resources === undefined ? [] : flattenResources(definition.resources, { type: String(definition.type), name: String(definition.name) });
    return [here, ...children];
  });
}

function topologicalOrder(resources: PlannedResource[]): PlannedResource[] {
  const byId = new Map(resources.map((r) => [lc(r.id), r]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const ordered: PlannedResource[] = [];
  const visit = (r: PlannedResource) => {
    const key = lc(r.id);
    if (done.has(key)) return;
    if (visiting.has(key)) throw invalidTemplate(`Circular dependency detected on resource: '${r.id}'`);
    visiting.add(key);
    for (const dep of r.dependsOn) visit(byId.get(lc(dep))!);
    visiting.delete(key);
    done.add(key);
    ordered.push(r);
  };
  resources.forEach(visit);
  return ordered;
}

/** ARM's preflight: everything that can be checked before a single resource is created. */
export function planDeployment(state: SimulatorState, rg: ResourceGroupRecord, deploymentName: string, body: Obj): DeploymentPlan {
  const properties = obj(body.properties);
  if (properties.templateLink !== undefined) throw new ArmError(400, 'InvalidRequestContent', 'templateLink is not supported by the simulator; send the template inline.');
  if (!properties.template || typeof properties.template !== 'object') {
    throw new ArmError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'Required property 'template' not found in JSON.'");
  }
  const mode = String(properties.mode ?? '');
  if (!['incremental', 'complete'].includes(lc(mode))) {
    throw new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: 'Error converting value "${mode}" to type 'DeploymentMode'.'`);
  }
  const template = obj(properties.template);
  const variables = obj(template.variables);
  let resources: PlannedResource[] = [];
  try {
    const params = resolveParameters(template, obj(properties.parameters), (p) =>
      deploymentFunctions(state, rg, deploymentName, p, variables, () => resources, true),
    );
    const fns = deploymentFunctions(state, rg, deploymentName, params, variables, () => resources, true);
    const flat = flattenResources(template.resources ?? []);
    const withNames = flat.flatMap(({ definition, parent }) => {
      if (definition.condition !== undefined && !evaluateDeep(definition.condition, fns)) return [];
      for (const field of ['type', 'apiVersion', 'name']) {
        if (!definition[field]) throw invalidTemplate(`The template resource '${String(definition.name ?? definition.type ?? '?')}' is missing '${field}'`);
      }
      const ownType = String(evaluateDeep(definition.type, fns));
      const ownName = String(evaluateDeep(definition.name, fns));
      const type = parent && !ownType.includes('/') ? `${parent.type}/${ownType}` : ownType;
      const name = parent && !ownName.includes('/') ? `${String(evaluateDeep(parent.name, fns))}/${ownName}` : ownName;
      const location = normalizeLocation(String(evaluateDeep(definition.location ?? rg.location, fns)));
      if (!(REGIONS as readonly string[]).includes(location)) {
        throw new ArmError(400, 'LocationNotAvailableForResourceType', `The provided location '${location}' is not available for resource type '${type}'. List of available regions for the resource type is '${REGIONS.join(',')}'.`);
      }
      const id = resourceIdFor(rg.subscriptionId, rg.name, type, name);
      return [{ definition, type, name, location, id, parentId: parent ? id.replace(/\/[^/]+\/[^/]+$/, '') : undefined }];
    });
    resources = withNames.map((r) => {
      const declared = Array.isArray(r.definition.dependsOn) ? (evaluateDeep(r.definition.dependsOn, fns) as unknown[]).map(String) : [];
      const dependsOn = declared.map((dep) => {
        const target = withNames.find((o) => lc(o.id) === lc(dep) || lc(o.name) === lc(dep) || lc(`${o.type}/${o.name}`) === lc(dep));
        if (!target) throw invalidTemplate(`The resource '${dep}' is not defined in the template`);
        return target.id;
      });
      const parentInTemplate = r.parentId && withNames.find((o) => lc(o.id) === lc(r.parentId!));
      if (parentInTemplate && !dependsOn.some((d) => lc(d) === lc(parentInTemplate.id))) dependsOn.push(parentInTemplate.id);
      return { id: r.id, type: r.type, apiVersion: String(r.definition.apiVersion), name: r.name, location: r.location, dependsOn, definition: r.definition };
    });
    resources = topologicalOrder(resources);
    // Every property must at least evaluate (reference() is deferred until the resource exists).
    const inner: ArmErrorDetail[] = [];
    let newCores = 0;
    for (const r of resources) {
      const props = obj(evaluateDeep(r.definition.properties ?? {}, fns));
      if (lc(r.type) !== 'microsoft.compute/virtualmachines') continue;
      try {
        const { size, vcpu } = validateVmDefinition(r.name, props);
        if (state.settings.unavailableSkus.has(`${lc(size)}|${r.location}`)) {
          throw new ArmError(
            409,
            'SkuNotAvailable',
            `The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: ${size}' is currently not available in location '${r.location}'. Please try another size or deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for details.`,
          );
        }
        if (!state.findVm(r.id)) newCores += vcpu;
        const limit = state.settings.coreQuota.get(r.location) ?? state.settings.defaultCoreQuota;
        const used = state.coresInUse(rg.subscriptionId, r.location);
        if (used + newCores > limit) {
          const family = findVmSize(size)![1].family;
          throw new ArmError(
            409,
            'QuotaExceeded',
            `Operation could not be completed as it results in exceeding approved ${family} Cores quota. Additional details - Deployment Model: Resource Manager, Location: ${r.location}, Current Limit: ${limit}, Current Usage: ${used}, Additional Required: ${newCores}, (Minimum) New Limit Required: ${used + newCores}. Submit a request for Quota increase at https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/UsageAndQuota.ReactView/Parameters/%7B%22subscriptionId%22:%22${rg.subscriptionId}%22%7D by specifying parameters listed in the 'Details' section for deployment to succeed.`,
          );
        }
      } catch (err) {
        if (!(err instanceof ArmError)) throw err;
        inner.push({ ...armErrorDetail(err), target: err.target ?? r.id });
      }
    }
    if (inner.length) {
      throw new ArmError(
        400,
        'InvalidTemplateDeployment',
        `The template deployment '${deploymentName}' is not valid according to the validation procedure. The tracking id is '${randomUUID()}'. See inner errors for details.`,
        inner,
      );
    }
    return { deploymentName, resourceGroup: rg, mode, templateHash: templateHash(template), parameters: params, resources, outputs: obj(template.outputs), variables };
  } catch (err) {
    if (err instanceof TemplateExpressionError) throw invalidTemplate(err.message);
    throw err;
  }
}

/** What GET returns for the parameters: SecureString values are never echoed. */
export function publicParameters(plan: DeploymentPlan): DeploymentRecord['parameters'] {
  const out: DeploymentRecord['parameters'] = {};
  for (const [name, p] of Object.entries(plan.parameters)) {
    out[name] = p.type.startsWith('secure') ? { type: TYPE_NAMES[p.type] } : { type: TYPE_NAMES[p.type], value: p.value };
  }
  return out;
}

/** Creates the planned resources in order, then evaluates the outputs. Never throws. */
export async function runDeployment(state: SimulatorState, dep: DeploymentRecord, plan: DeploymentPlan): Promise<void> {
  const rg = plan.resourceGroup;
  const fns = deploymentFunctions(state, rg, plan.deploymentName, plan.parameters, plan.variables, () => plan.resources, false);
  const step = state.settings.deploymentDurationMs / (plan.resources.length + 1);
  let current: PlannedResource | undefined;
  try {
    await state.delay(Math.min(step, 50), dep.abort.signal);
    dep.provisioningState = 'Running';
    for (const r of plan.resources) {
      current = r;
      await state.delay(step, dep.abort.signal);
      const failureIndex = state.deploymentFailures.findIndex((f) => lc(f.atResourceType) === lc(r.type));
      if (failureIndex >= 0) {
        const [failure] = state.deploymentFailures.splice(failureIndex, 1);
        throw new ArmError(400, failure.code, failure.message);
      }
      const d = r.definition;
      const evaluated: EvaluatedResource = {
        id: r.id,
        type: r.type,
        apiVersion: r.apiVersion,
        name: r.name,
        location: r.location,
        tags: d.tags === undefined ? undefined : (evaluateDeep(d.tags, fns) as Record<string, string>),
        sku: d.sku === undefined ? undefined : evaluateDeep(d.sku, fns),
        kind: d.kind === undefined ? undefined : String(evaluateDeep(d.kind, fns)),
        properties: obj(evaluateDeep(d.properties ?? {}, fns)),
      };
      await provisionResource(state, { subscriptionId: rg.subscriptionId, resourceGroup: rg.name }, evaluated);
      if (!dep.outputResources.some((id) => lc(id) === lc(r.id))) dep.outputResources.push(r.id);
    }
    current = undefined;
    await state.delay(step, dep.abort.signal);
    dep.outputs = evaluateOutputs(state, dep, plan, fns);
    dep.provisioningState = 'Succeeded';
  } catch (err) {
    if (state.lifetime.signal.aborted) return;
    if (dep.abort.signal.aborted) {
      dep.provisioningState = 'Canceled';
    } else {
      const cause = err instanceof ArmError ? armErrorDetail(err) : { code: err instanceof TemplateExpressionError ? 'InvalidTemplate' : 'InternalServerError', message: (err as Error).message };
      dep.provisioningState = 'Failed';
      dep.error = {
        code: 'DeploymentFailed',
        message: 'At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.',
        ...(current ? { target: current.id } : {}),
        details: [{ ...cause, ...(current ? { target: current.id } : {}) }],
      };
    }
  } finally {
    dep.finishedAt = Date.now();
  }
}

function evaluateOutputs(state: SimulatorState, dep: DeploymentRecord, plan: DeploymentPlan, fns: FunctionTable): DeploymentRecord['outputs'] {
  const outputs: NonNullable<DeploymentRecord['outputs']> = {};
  for (const [name, spec] of Object.entries(plan.outputs)) {
    const s = obj(spec);
    if (s.copy !== undefined) throw new TemplateExpressionError("output 'copy' is not supported by the simulator");
    const type = lc(String(s.type ?? 'string'));
    if (type.startsWith('secure')) continue; // ARM never returns secure outputs
    outputs[name] = { type: TYPE_NAMES[type] ?? String(s.type), value: evaluateDeep(s.value, fns) };
  }
  // The simulated public IP is 127.0.0.1 for every VM, so each VM's app port is forwarded from its
  // own loopback port: an output named appPort reports that forwarded port (on Azure it is the port).
  const appVms = dep.outputResources.map((id) => state.findVm(id)).filter((vm) => vm?.app?.forwardedPort !== undefined);
  const appPortKey = Object.keys(outputs).find((k) => lc(k) === 'appport');
  if (appPortKey && appVms.length === 1) outputs[appPortKey] = { type: 'Int', value: appVms[0]!.app!.forwardedPort };
  return outputs;
}
