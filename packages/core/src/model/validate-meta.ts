/**
 * Object names, namespaces and labels, checked as the API server checks them before it stores an
 * object (so an object failing here could not exist in a cluster): a located INVALID_NAME or
 * INVALID_LABEL error each. Beyond fidelity, this keeps names that would act on a terminal or on
 * Markdown (control characters, newlines, backticks, `<`) out of every answer.
 *
 * Severity: an error when the name or label holds a character no Kubernetes name or label can hold
 * (anything but ASCII letters, digits, `-`, `_`, `.`, and `/` in a label key) or is longer than any
 * could be; a warning when it is made of those characters but breaks the exact rule of its place
 * (upper case, `_` in a name, a digit first in a Service name, 64 characters in a label). Such a name
 * is unambiguous and harmless in every output, and hand-written manifests and other analysers' test
 * data use them, so the answer is still given for the manifest as written, with the warning saying
 * the API server would refuse it.
 *
 * | what                          | rule (apimachinery validation)                                     |
 * |-------------------------------|--------------------------------------------------------------------|
 * | metadata.namespace, Namespace | DNS-1123 label (ValidateNamespaceName)                             |
 * | Service name                  | DNS-1035 label (ValidateServiceName)                               |
 * | CronJob name                  | DNS-1123 subdomain of at most 52 characters (ValidateCronJob)      |
 * | every other kind's name       | DNS-1123 subdomain (NameIsDNSSubdomain)                            |
 * | label keys                    | qualified name: optional DNS-subdomain prefix and `/`, a name part |
 * | label values                  | empty, or at most 63 characters, alphanumeric at both ends         |
 */
import type { FieldPath } from '../base/types.js';
import { quoteValue } from '../text/escape.js';
import type { ObjectContext } from './context.js';
import { labelKeyError, labelValueError, nameError, type NameRule } from './label-syntax.js';
import type { Labels } from './types.js';

/** The name rule of a kind and its length bound. */
export function nameRuleOf(kind: string): { rule: NameRule; max?: number } {
  switch (kind) {
    case 'Namespace':
      return { rule: 'dns1123-label' };
    case 'Service':
      return { rule: 'dns1035-label' };
    case 'CronJob':
      return { rule: 'dns1123-subdomain', max: 52 };
    default:
      return { rule: 'dns1123-subdomain' };
  }
}

/** Characters some Kubernetes name or label may hold (plus `/` in label keys). */
const NAME_LIKE = /^[A-Za-z0-9._-]*$/;

/** True when a name that breaks its rule is still harmless (a warning, see above). */
export function harmlessName(name: string): boolean {
  return NAME_LIKE.test(name) && name.length <= 253;
}
const KEY_LIKE = /^[A-Za-z0-9._/-]*$/;

/** Reports a problem as an error or a warning by the rule above. */
function report(ctx: ObjectContext, code: 'INVALID_NAME' | 'INVALID_LABEL', harmless: boolean, message: string, path: FieldPath): void {
  if (harmless) ctx.warn(code, `${message} (the API server would refuse it)`, path);
  else ctx.error(code, message, path);
}

/** Checks metadata.name (by the kind's rule) and a given metadata.namespace; reports each problem. */
export function checkObjectMeta(ctx: ObjectContext, kind: string, name: string, givenNamespace: string | null): void {
  const { rule, max } = nameRuleOf(kind);
  const why = nameError(name, rule, max);
  if (why !== null) {
    const harmless = harmlessName(name);
    report(ctx, 'INVALID_NAME', harmless, `metadata.name ${quoteValue(name)} is not a valid ${kind} name: ${why}`, ['metadata', 'name']);
  }
  if (givenNamespace !== null) {
    const nsWhy = nameError(givenNamespace, 'dns1123-label');
    const harmless = harmlessName(givenNamespace);
    if (nsWhy !== null)
      report(ctx, 'INVALID_NAME', harmless, `metadata.namespace ${quoteValue(givenNamespace)} is not a valid namespace name: ${nsWhy}`, [
        'metadata',
        'namespace',
      ]);
  }
}

/** Checks every key and value of a label map read at `path`; reports each problem at its entry. */
export function checkLabels(ctx: ObjectContext, labels: Labels | null, path: FieldPath): void {
  if (labels === null) return;
  for (const key of Object.keys(labels)) {
    const keyWhy = labelKeyError(key);
    if (keyWhy !== null)
      report(ctx, 'INVALID_LABEL', KEY_LIKE.test(key) && key.length <= 317, `label key ${quoteValue(key)} is invalid: ${keyWhy}`, [...path, key]);
    const value = labels[key]!;
    const valueWhy = labelValueError(value);
    if (valueWhy !== null)
      report(
        ctx,
        'INVALID_LABEL',
        NAME_LIKE.test(value) && value.length <= 253,
        `label value ${quoteValue(value)} of ${quoteValue(key)} is invalid: ${valueWhy}`,
        [...path, key],
      );
  }
}
