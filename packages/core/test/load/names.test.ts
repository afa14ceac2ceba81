/**
 * Names, namespaces and labels as the API server validates them (apimachinery's
 * IsDNS1123Subdomain / IsDNS1123Label / IsDNS1035Label / IsQualifiedName / IsValidLabelValue, and
 * the per-kind choice: ValidateNamespaceName, ValidateServiceName, ValidateCronJob's 52 characters).
 * An object that breaks them could not exist in a cluster; here it is a located error.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadCluster, type Diagnostic } from '@kubereach/core';
import { nameError } from '../../src/model/label-syntax.js';

const at = (d: Diagnostic) => `${d.code}@${d.location?.line}:${d.location?.col}`;

function load(text: string) {
  return loadCluster([{ name: 'n.yaml', text }]);
}

describe('name rules (apimachinery validation)', () => {
  it('DNS-1123 subdomain: lowercase alphanumerics, "-" and ".", alphanumeric at both ends, at most 253', () => {
    for (const ok of ['web', 'web-1', 'a.b.c', '0abc', 'a'.repeat(253), 'x-y.z-w']) expect(nameError(ok, 'dns1123-subdomain'), ok).toBeNull();
    for (const bad of ['Web', 'web_1', '-web', 'web-', 'a..b', '.a', 'a.', 'a b', 'a\nb', 'a`b', '<img>', '=1+2', '', 'a'.repeat(254)]) {
      expect(nameError(bad, 'dns1123-subdomain'), bad).not.toBeNull();
    }
  });

  it('DNS-1123 label: no dots, at most 63; DNS-1035 label: also starts with a letter', () => {
    expect(nameError('shop', 'dns1123-label')).toBeNull();
    expect(nameError('1shop', 'dns1123-label')).toBeNull();
    expect(nameError('a.b', 'dns1123-label')).not.toBeNull();
    expect(nameError('a'.repeat(63), 'dns1123-label')).toBeNull();
    expect(nameError('a'.repeat(64), 'dns1123-label')).toBe('it is longer than 63 characters');
    expect(nameError('1shop', 'dns1035-label')).not.toBeNull();
    expect(nameError('shop1', 'dns1035-label')).toBeNull();
  });
});

describe('objects with invalid names, namespaces and labels are located errors', () => {
  it('each kind by its own rule: Namespace a label, Service a DNS-1035 label, CronJob at most 52, the rest subdomains', () => {
    const text = [
      'apiVersion: v1', //                                              1
      'kind: Namespace', //                                             2
      'metadata: {name: Shop}', //                                      3  uppercase
      '---',
      'apiVersion: v1', //                                              5
      'kind: Service', //                                               6
      'metadata: {name: 1web, namespace: shop}', //                     7  starts with a digit
      '---',
      'apiVersion: v1', //                                              9
      'kind: Pod', //                                                  10
      'metadata: {name: web.v1, namespace: shop}', //                  11  dots are fine in a pod name
      '---',
      'apiVersion: batch/v1', //                                       13
      'kind: CronJob', //                                              14
      `metadata: {name: ${'c'.repeat(53)}, namespace: shop}`, //       15  one over 52
      'spec: {jobTemplate: {spec: {template: {spec: {containers: []}}}}}',
      '---',
      'apiVersion: v1', //                                             18
      'kind: Pod', //                                                  19
      'metadata: {name: db, namespace: Prod_1}', //                    20  namespace not a label (col 33)
      '',
    ].join('\n');
    const r = load(text);
    expect(r.diagnostics.map(at)).toEqual(['INVALID_NAME@3:18', 'INVALID_NAME@7:18', 'INVALID_NAME@15:18', 'INVALID_NAME@20:33']);
    const refused = ' (the API server would refuse it)';
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      `metadata.name "Shop" is not a valid Namespace name: it must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit${refused}`,
      `metadata.name "1web" is not a valid Service name: it must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit${refused}`,
      `metadata.name "${'c'.repeat(53)}" is not a valid CronJob name: it is longer than 52 characters${refused}`,
      `metadata.namespace "Prod_1" is not a valid namespace name: it must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit${refused}`,
    ]);
    // made of name-like characters only: warnings, the objects are analysed as written
    expect(r.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    expect(r.cluster.namespaces.map((n) => n.name)).toContain('Shop');
  });

  it('a name with any other character (space, control, markup, formula start, non-ASCII) is an error', () => {
    for (const name of ['a b', 'a\u0007', 'a`b', '<img>', '=1+2', 'café', 'a/b', '"q"']) {
      const r = load(`apiVersion: v1\nkind: Pod\nmetadata: {name: ${JSON.stringify(name)}, namespace: shop}\n`);
      expect(
        r.diagnostics.map((d) => `${d.code} ${d.severity}`),
        name,
      ).toEqual(['INVALID_NAME error']);
    }
    const long = load(`apiVersion: v1\nkind: Pod\nmetadata: {name: ${'a'.repeat(254)}, namespace: shop}\n`);
    expect(long.diagnostics.map((d) => `${d.code} ${d.severity}`)).toEqual(['INVALID_NAME error']);
  });

  it('label keys and values: on objects, pod templates and Service selectors, at the entry', () => {
    const text = [
      'apiVersion: apps/v1', //                         1
      'kind: Deployment', //                            2
      'metadata: {name: web, namespace: shop}', //      3
      'spec:', //                                       4
      '  selector: {matchLabels: {app: web}}', //       5
      '  template:', //                                 6
      '    metadata:', //                               7
      '      labels:', //                               8
      '        app: web', //                            9
      '        a/b/c: x', //                           10  two slashes
      '        tier: "front end"', //                  11  a space
      '    spec: {containers: []}', //                 12
      '---',
      'apiVersion: v1', //                             14
      'kind: Service', //                              15
      'metadata: {name: web, namespace: shop}', //     16
      'spec: {selector: {"app!": web}}', //            17
      '',
    ].join('\n');
    const r = load(text);
    expect(r.diagnostics.map(at)).toEqual(['INVALID_LABEL@10:16', 'INVALID_LABEL@11:15', 'INVALID_LABEL@17:27']);
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['warning', 'error', 'error']); // "/" may be in a key; " " and "!" never
    expect(r.diagnostics[0]!.message).toBe('label key "a/b/c" is invalid: a label key has at most one "/" (the API server would refuse it)');
    expect(r.diagnostics[1]!.message).toBe(
      'label value "front end" of "tier" is invalid: a label value must start and end with a letter or digit and contain only letters, digits, "-", "_" and "."',
    );
  });

  it('the reproductions: ESC/BEL and a newline in a name are errors, printed escaped on two lines', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a\u001b]0;pwned\u0007', namespace: 'ns1' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b\nns1/b[Pod] => ns1/a[Pod] : FORGED', namespace: 'ns1' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c`<img src=x>`', namespace: '=1+2' } },
      ],
    });
    const r = loadCluster([{ name: 'n.json', text }]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['INVALID_NAME', 'INVALID_NAME', 'INVALID_NAME', 'INVALID_NAME']);
    const printed = r.diagnostics.map(formatDiagnostic).join('\n');
    expect(printed.split('\n')).toHaveLength(8); // two lines per diagnostic, whatever the names hold
    expect(/[\u0000-\u0009\u000b-\u001f\u007f]/.test(printed)).toBe(false);
    expect(printed).toContain('metadata.name "a\\x1b]0;pwned\\x07" is not a valid Pod name');
    expect(printed).toContain('(Pod ns1/b\\nns1/b[Pod] => ns1/a[Pod] : FORGED)');
  });

  it('a 60 MB selector value is echoed as its first 80 characters and its size', () => {
    const value = 'v'.repeat(60 * 1024 * 1024);
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: value } } },
    };
    const r = loadCluster([{ name: 'p.json', text: JSON.stringify(policy) }]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['INVALID_SELECTOR']);
    expect(r.diagnostics[0]!.message).toBe(`invalid label value "${'v'.repeat(80)}…(62914560 bytes)": a label value is at most 63 characters`);
    expect(formatDiagnostic(r.diagnostics[0]!).length).toBeLessThan(400);
  });
});
