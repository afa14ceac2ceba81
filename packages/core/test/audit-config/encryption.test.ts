import { describe, expect, it } from 'vitest';
import { auditConfiguration } from '../../src/audit/config/audit.js';
import { cluster, otherFrom } from './build.js';

const HEAD = 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n';

function audit(body: string): [string, string, number | undefined][] {
  return auditConfiguration(cluster({ others: [otherFrom('enc.yaml', HEAD + body)] }), { kubeconfigs: [] }).map((f) => [f.id, f.evidence, f.location?.line]);
}

describe('EncryptionConfiguration', () => {
  it('kms first is clean', () => {
    expect(
      audit('resources:\n- resources: [secrets]\n  providers:\n  - kms: {apiVersion: v2, name: vault, endpoint: unix:///kms.sock}\n  - identity: {}\n'),
    ).toEqual([]);
  });

  it('identity first is high, located at the provider', () => {
    // line 3 resources:, 4 - resources, 5 providers:, 6 - identity
    expect(audit('resources:\n- resources: [secrets]\n  providers:\n  - identity: {}\n  - aescbc:\n      keys: [{name: k1, secret: c2VjcmV0}]\n')).toEqual([
      ['ENCRYPTION_IDENTITY_FIRST', 'resources[0].providers[0]: identity', 6],
    ]);
  });

  it('secrets not listed at all', () => {
    expect(audit('resources:\n- resources: [configmaps]\n  providers:\n  - aescbc:\n      keys: [{name: k1, secret: c2VjcmV0}]\n')).toEqual([
      ['ENCRYPTION_IDENTITY_FIRST', 'resources[*].resources never lists secrets (1 entry)', 4],
    ]);
  });

  it('the first entry naming secrets decides, wildcards included', () => {
    const body =
      'resources:\n- resources: [configmaps]\n  providers:\n  - identity: {}\n- resources: ["*.*"]\n  providers:\n  - secretbox:\n      keys: [{name: sb1, secret: c2VjcmV0}]\n- resources: [secrets]\n  providers:\n  - identity: {}\n';
    expect(audit(body)).toEqual([['ENCRYPTION_LOCAL_KEY', 'resources[1].providers[0]: secretbox with key "sb1" (key material not shown)', 9]]);
  });

  it('aescbc first is low; the key secret never appears, the fix re-encrypts', () => {
    const fs = auditConfiguration(
      cluster({
        others: [
          otherFrom(
            'enc.yaml',
            HEAD +
              'resources:\n- resources: [secrets]\n  providers:\n  - aescbc:\n      keys:\n      - name: key1\n        secret: c2VjcmV0LWtleS0zMi1ieXRlcy1sb25nLi4uLi4=\n',
          ),
        ],
      }),
      { kubeconfigs: [] },
    );
    expect(fs.map((f) => [f.id, f.severity])).toEqual([['ENCRYPTION_LOCAL_KEY', 'low']]);
    expect(JSON.stringify(fs)).not.toContain('c2VjcmV0');
    expect(fs[0]?.fix).toContain('kubectl get secrets --all-namespaces -o json | kubectl replace -f -');
  });
});
