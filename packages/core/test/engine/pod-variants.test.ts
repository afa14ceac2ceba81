/**
 * Workloads whose pods a selector can tell apart are listed pod by pod (compile/expand.ts); workloads
 * whose pods all look alike stay one endpoint, selected by the labels their pods carry.
 */
import { describe, expect, test } from 'vitest';
import { AmbiguousError, compile } from '../../src/index.js';
import type { PodInfo } from '../../src/model/types.js';
import { LOC, cluster, netpol, peer, pod, rule, sel } from '../support/model.js';

const podInfo = (name: string, labels: Record<string, string>, ip: string): PodInfo => ({ name, labels, ips: [ip], nodeName: null, location: LOC });

const db = pod(
  'data',
  'db',
  { app: 'db' },
  {
    id: 'data/db[StatefulSet]',
    kind: 'StatefulSet',
    pods: [
      podInfo('db-0', { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' }, '10.0.0.10'),
      podInfo('db-1', { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-1' }, '10.0.0.11'),
    ],
  },
);
const client = pod('data', 'client', { app: 'client' });

describe('pods a selector tells apart', () => {
  test('a policy on statefulset.kubernetes.io/pod-name splits the StatefulSet into its pods', () => {
    const c = cluster({
      endpoints: [db, client],
      policies: [
        netpol('data', 'primary-only', sel({ 'statefulset.kubernetes.io/pod-name': 'db-1' }), { ingress: [rule([peer.pods(sel({ app: 'client' }))])] }),
      ],
    });
    const ix = compile(c);
    expect(
      ix.entities
        .filter((e) => e.kind === 'endpoint')
        .map((e) => e.id)
        .sort(),
    ).toEqual(['data/client[Pod]', 'data/db-0[Pod]', 'data/db-1[Pod]']);
    // db-1 is isolated (only the client may connect); db-0 is not selected by the policy
    expect(ix.connections('data/db-0', 'data/db-1').toString()).toBe('No Connections');
    expect(ix.connections('data/client', 'data/db-1').toString()).toBe('All Connections');
    expect(ix.connections('data/db-1', 'data/db-0').toString()).toBe('All Connections');
    expect(() => ix.resolve('data/db')).toThrow(AmbiguousError);
    expect(() => ix.resolve('data/db[StatefulSet]')).toThrow(/listed pod by pod/);
  });

  test('when no selector observes the per-pod label, the StatefulSet stays one endpoint', () => {
    const c = cluster({ endpoints: [db, client], policies: [netpol('data', 'db', sel({ app: 'db' }), { ingress: [] })] });
    const ix = compile(c);
    expect(
      ix.entities
        .filter((e) => e.kind === 'endpoint')
        .map((e) => e.id)
        .sort(),
    ).toEqual(['data/client[Pod]', 'data/db[StatefulSet]']);
    expect(ix.connections('data/client', 'data/db').toString()).toBe('No Connections');
  });

  test('a label the pods carry but the template does not is still selected', () => {
    const web = pod(
      'shop',
      'web',
      { app: 'web' },
      {
        id: 'shop/web[Deployment]',
        kind: 'Deployment',
        pods: [podInfo('web-a', { app: 'web', canary: 'yes' }, '10.0.1.1'), podInfo('web-b', { app: 'web', canary: 'yes' }, '10.0.1.2')],
      },
    );
    const c = cluster({ endpoints: [web, pod('shop', 'x', { app: 'x' })], policies: [netpol('shop', 'canary', sel({ canary: 'yes' }), { ingress: [] })] });
    const ix = compile(c);
    expect(ix.connections('shop/x', 'shop/web').toString()).toBe('No Connections');
  });
});
