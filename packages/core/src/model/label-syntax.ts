/**
 * Kubernetes label key and value syntax (apimachinery validation.IsQualifiedName / IsValidLabelValue):
 *
 * | part                  | rule                                                                   |
 * |-----------------------|------------------------------------------------------------------------|
 * | key prefix (optional) | DNS-1123 subdomain, at most 253 characters, followed by `/`            |
 * | key name              | 1-63 characters, alphanumeric at both ends, `-` `_` `.` inside         |
 * | value                 | empty, or 1-63 characters with the same rule as a key name             |
 *
 * Each check returns null when valid, else the reason, for the diagnostic message.
 */

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function labelKeyError(key: string): string | null {
  const slash = key.lastIndexOf('/');
  let name = key;
  if (slash >= 0) {
    if (key.indexOf('/') !== slash) return 'a label key has at most one "/"';
    const prefix = key.slice(0, slash);
    name = key.slice(slash + 1);
    if (prefix.length === 0) return 'the prefix before "/" is empty';
    if (prefix.length > 253) return 'the prefix is longer than 253 characters';
    if (!prefix.split('.').every((p) => DNS1123_LABEL.test(p))) return 'the prefix must be a DNS subdomain (lowercase letters, digits, "-" and ".")';
  }
  if (name.length === 0) return 'the name part is empty';
  if (name.length > 63) return 'the name part is longer than 63 characters';
  if (!NAME.test(name)) return 'the name part must start and end with a letter or digit and contain only letters, digits, "-", "_" and "."';
  return null;
}

export function labelValueError(value: string): string | null {
  if (value === '') return null;
  if (value.length > 63) return 'a label value is at most 63 characters';
  if (!NAME.test(value)) return 'a label value must start and end with a letter or digit and contain only letters, digits, "-", "_" and "."';
  return null;
}

/**
 * IANA_SVC_NAME, the syntax of a named port: at most 15 characters, lowercase letters, digits and
 * `-`, at least one letter, no `-` at either end and no `--`.
 */
export function portNameError(name: string): string | null {
  if (name.length === 0 || name.length > 15) return 'a port name has 1 to 15 characters';
  if (!/^[a-z0-9-]+$/.test(name)) return 'a port name has only lowercase letters, digits and "-"';
  if (!/[a-z]/.test(name)) return 'a port name needs at least one letter';
  if (name.startsWith('-') || name.endsWith('-')) return 'a port name cannot start or end with "-"';
  if (name.includes('--')) return 'a port name cannot contain "--"';
  return null;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The name rules of the API server (apimachinery validation), by what each kind requires. */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label';

/**
 * Why `name` breaks `rule`, or null (apimachinery IsDNS1123Subdomain, IsDNS1123Label,
 * IsDNS1035Label): a subdomain is at most 253 characters of dot-separated lowercase labels; a label
 * is at most 63 lowercase letters, digits and `-`, alphanumeric at both ends; a DNS-1035 label also
 * starts with a letter. `maxLength` tightens the bound (a CronJob's name is at most 52 characters,
 * as its Jobs add an 11-character suffix).
 */
export function nameError(name: string, rule: NameRule, maxLength?: number): string | null {
  const max = maxLength ?? (rule === 'dns1123-subdomain' ? 253 : 63);
  if (name.length > max) return `it is longer than ${max} characters`;
  switch (rule) {
    case 'dns1123-subdomain':
      return DNS1123_SUBDOMAIN.test(name)
        ? null
        : 'it must be a DNS subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
    case 'dns1123-label':
      return DNS1123_LABEL.test(name) ? null : 'it must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit';
    case 'dns1035-label':
      return DNS1035_LABEL.test(name)
        ? null
        : 'it must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit';
    default: {
      const never: never = rule;
      return never;
    }
  }
}
