// ARM's error envelope: every failed call answers `{"error":{"code","message","target"?,"details"?}}`
// (ARM RPC "common API details"). Handlers throw ArmError; the router turns it into that body.

export interface ArmErrorDetail {
  code: string;
  message: string;
  target?: string;
  details?: ArmErrorDetail[];
}

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ArmErrorDetail[],
    readonly target?: string,
  ) {
    super(message);
  }

  toBody(): { error: ArmErrorDetail } {
    return { error: armErrorDetail(this) };
  }
}

export function armErrorDetail(e: ArmError): ArmErrorDetail {
  return {
    code: e.code,
    message: e.message,
    ...(e.target ? { target: e.target } : {}),
    ...(e.details?.length ? { details: e.details } : {}),
  };
}

export const notFound = {
  resourceGroup: (rg: string) => new ArmError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`),
  resource: (type: string, name: string, rg: string) =>
    new ArmError(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`),
  deployment: (name: string) => new ArmError(404, 'DeploymentNotFound', `Deployment '${name}' could not be found.`),
  subscription: (sub: string) => new ArmError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`),
};
