// Azure failures → the platform's failure types. Sign-in and authorization problems, quota and
// capacity refusals, and invalid templates/input cannot be fixed by retrying: they become
// non-retryable ApplicationFailures. Throttling (429), 5xx and network errors are thrown as plain
// retryable errors with a clean message (never the SDK error itself, which carries the request).
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { ErrorType, permanent } from '../failures';

type FailureType = (typeof ErrorType)[keyof typeof ErrorType];

export interface ArmErrorInfo {
  code?: string;
  message?: string;
  details?: ArmErrorInfo[];
}

const AUTH_CODES = new Set([
  'AuthenticationFailed',
  'InvalidAuthenticationToken',
  'InvalidAuthenticationTokenTenant',
  'ExpiredAuthenticationToken',
  'AuthorizationFailed',
  'LinkedAuthorizationFailed',
  'SubscriptionNotFound',
  'InvalidSubscriptionId',
  'SubscriptionNotRegistered',
  'MissingSubscriptionRegistration',
  'ReadOnlyDisabledSubscription',
]);

const QUOTA_CODES = new Set(['QuotaExceeded', 'SkuNotAvailable', 'ResourceQuotaExceeded', 'OperationNotAllowedQuota', 'ZonalAllocationFailed', 'AllocationFailed', 'OverconstrainedAllocationRequest']);

const VALIDATION_CODES = new Set([
  'InvalidTemplate',
  'InvalidTemplateDeployment',
  'InvalidParameter',
  'InvalidRequestContent',
  'InvalidRequestFormat',
  'InvalidResourceName',
  'InvalidResourceGroup',
  'InvalidResourceReference',
  'InvalidDomainNameLabel',
  'DnsRecordInUse',
  'LocationNotAvailableForResourceType',
  'LocationNotAvailableForResourceGroup',
  'LocationRequired',
  'InvalidResourceGroupLocation',
  'BadRequest',
]);

function allCodes(e: ArmErrorInfo): { code: string; message: string }[] {
  const own = e.code ? [{ code: e.code, message: e.message ?? '' }] : [];
  return [...own, ...(e.details ?? []).flatMap(allCodes)];
}

/** The non-retryable type an ARM error maps to, or undefined when retrying may help. */
export function classifyArmError(e: ArmErrorInfo): FailureType | undefined {
  const codes = allCodes(e);
  // The innermost cause decides: InvalidTemplateDeployment wrapping QuotaExceeded is a quota problem.
  if (codes.some((c) => QUOTA_CODES.has(c.code) || (c.code === 'OperationNotAllowed' && /quota/i.test(c.message)))) return ErrorType.Quota;
  if (codes.some((c) => AUTH_CODES.has(c.code))) return ErrorType.Authentication;
  if (codes.some((c) => VALIDATION_CODES.has(c.code))) return ErrorType.Validation;
  return undefined;
}

/** "Code: message; InnerCode: inner message" — Azure's real cause usually sits in `details`. */
export function describeArmError(e: ArmErrorInfo): string {
  return allCodes(e)
    .map((c) => `${c.code}: ${c.message}`)
    .join('; ');
}

interface RestErrorLike {
  name?: string;
  message: string;
  statusCode?: number;
  code?: string;
  details?: unknown;
}

function restErrorInfo(err: RestErrorLike): ArmErrorInfo {
  const body = (err.details as { error?: ArmErrorInfo } | undefined)?.error;
  return body?.code ? body : { code: err.code, message: err.message };
}

/** Entra ID refused the credential itself (AADSTS error), as opposed to being unreachable. */
function isSignInRefusal(err: RestErrorLike): boolean {
  const identityError = ['AuthenticationError', 'AuthenticationRequiredError', 'CredentialUnavailableError'].includes(err.name ?? '');
  return identityError && /AADSTS\d+|invalid_client|unauthorized_client|invalid_request|invalid_grant|invalid_scope|Invalid tenant id/i.test(err.message);
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 500);
}

/** A retryable failure with a message safe for logs and workflow history. */
export class AzureRequestError extends Error {
  override name = 'AzureRequestError';
}

/**
 * Turns anything an Azure call threw into what the activity should throw. `what` names the call
 * ("creating resource group x") for the message.
 */
export function toActivityFailure(err: unknown, what: string): Error {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  const e = (err ?? {}) as RestErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (isSignInRefusal(e)) return permanent(ErrorType.Authentication, `Azure sign-in failed while ${what}: ${firstLine(message)}`);
  if (typeof e.statusCode === 'number') {
    const info = restErrorInfo(e);
    const type = classifyArmError(info) ?? (e.statusCode === 401 || e.statusCode === 403 ? ErrorType.Authentication : undefined);
    const text = `Azure refused ${what} (HTTP ${e.statusCode}): ${describeArmError(info) || firstLine(message)}`;
    if (type) return permanent(type, text, { statusCode: e.statusCode, code: info.code });
    return new AzureRequestError(text);
  }
  // A long-running operation that failed: "The long-running operation has failed. <code>. <message>"
  const lro = /has failed\. (\w+)\. ([\s\S]*)/.exec(message);
  if (lro) {
    const info = { code: lro[1], message: firstLine(lro[2]) };
    const type = classifyArmError(info);
    const text = `Azure operation failed while ${what}: ${describeArmError(info)}`;
    return type ? permanent(type, text, { code: info.code }) : new AzureRequestError(text);
  }
  return new AzureRequestError(`Azure call failed while ${what}: ${firstLine(message)}`);
}

/** 404 of any kind (resource, resource group, deployment): the thing is not there. */
export function isNotFound(err: unknown): boolean {
  return (err as RestErrorLike | undefined)?.statusCode === 404;
}

export function errorCode(err: unknown): string | undefined {
  const e = err as RestErrorLike | undefined;
  if (!e || typeof e.statusCode !== 'number') return undefined;
  return restErrorInfo(e).code;
}
