/**
 * EncryptionConfiguration (apiserver.config.k8s.io/v1): how Secrets are written to etcd.
 *
 * The API server uses the first `resources[]` entry whose list names the resource (`secrets`, or
 * the wildcards `*.` for the core group and `*.*` for everything), and writes with that entry's first
 * provider; later providers only decrypt. So only the first provider of the first matching entry
 * decides how new Secrets are stored:
 *
 *   first provider            finding
 *   identity                  ENCRYPTION_IDENTITY_FIRST (high): stored in clear
 *   (no entry names secrets)  ENCRYPTION_IDENTITY_FIRST (high): stored in clear
 *   aescbc, aesgcm, secretbox ENCRYPTION_LOCAL_KEY (low): the key sits in this file on every node
 *   kms                       nothing: the key stays in the KMS
 *
 * Evidence names providers and key names, never key material.
 */
import type { Finding } from '../finding.js';
import type { OtherObject } from '../../model/types.js';
import { finding } from './make-finding.js';
import { at, isRecord, list, otherSubject, text } from './raw.js';

const SECRETS_MATCHERS: ReadonlySet<string> = new Set(['secrets', '*.', '*.*']);
const LOCAL_KEY_PROVIDERS: ReadonlySet<string> = new Set(['aescbc', 'aesgcm', 'secretbox']);
const REENCRYPT = '`kubectl get secrets --all-namespaces -o json | kubectl replace -f -`';

export function isEncryptionConfiguration(o: OtherObject): boolean {
  return (o.kind === 'EncryptionConfiguration' || o.kind === 'EncryptionConfig') && o.apiVersion.startsWith('apiserver.config.k8s.io/');
}

export function auditEncryptionConfiguration(o: OtherObject): Finding[] {
  const subject = otherSubject(o);
  const entries = list(at(o.value, ['resources']));
  const index = entries.findIndex((e) => list(at(e, ['resources'])).some((r) => SECRETS_MATCHERS.has(text(r) ?? '')));
  if (index < 0) {
    return [
      finding(
        'ENCRYPTION_IDENTITY_FIRST',
        subject,
        'No entry of the EncryptionConfiguration covers secrets, so the API server stores Secrets unencrypted.',
        `resources[*].resources never lists secrets (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'})`,
        `add a first entry \`- resources: [secrets]\` with \`providers: [{kms: {apiVersion: v2, name: <plugin>, endpoint: unix:///var/run/kms.sock}}, {identity: {}}]\` to ${o.location.file}, restart the API server, then re-encrypt existing Secrets with ${REENCRYPT}.`,
        o.locate(['resources']),
      ),
    ];
  }
  const first = list(at(entries[index], ['providers']))[0];
  if (!isRecord(first)) return []; // no provider: the API server refuses the file, nothing is stored
  const provider = Object.keys(first)[0] ?? '';
  const where = `resources[${index}].providers[0]`;
  const location = o.locate(['resources', index, 'providers', 0]);
  if (provider === 'identity') {
    return [
      finding(
        'ENCRYPTION_IDENTITY_FIRST',
        subject,
        'The first provider for secrets is identity: new Secrets are written to etcd unencrypted (providers after it are only used to read).',
        `${where}: identity`,
        `move an encrypting provider (kms v2, or aescbc / secretbox) before identity in ${where.replace('.providers[0]', '.providers')} of ${o.location.file}, keep identity last so existing data stays readable, restart the API server, then re-encrypt existing Secrets with ${REENCRYPT}.`,
        location,
      ),
    ];
  }
  if (LOCAL_KEY_PROVIDERS.has(provider)) {
    const keyNames = list(at(first, [provider, 'keys']))
      .map((k) => text(at(k, ['name'])))
      .filter((n): n is string => n !== undefined);
    const keys = keyNames.length > 0 ? ` with key ${keyNames.map((n) => `"${n}"`).join(', ')}` : '';
    return [
      finding(
        'ENCRYPTION_LOCAL_KEY',
        subject,
        `Secrets are encrypted with ${provider}, whose key is kept in this file on every control-plane node: whoever reads the file and an etcd backup reads every Secret.`,
        `${where}: ${provider}${keys} (key material not shown)`,
        `put a kms v2 provider (\`kms: {apiVersion: v2, name: <plugin>, endpoint: unix:///var/run/kms.sock}\`) first in ${where.replace('.providers[0]', '.providers')} of ${o.location.file}, keep the ${provider} provider after it so existing Secrets still decrypt, restart the API server, then re-encrypt existing Secrets with ${REENCRYPT}.`,
        location,
      ),
    ];
  }
  return [];
}
