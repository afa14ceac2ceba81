/**
 * One named test per Service rule (README "Services"). Expected answers come from the Kubernetes
 * documentation: Service (selector, port/targetPort, named ports), EndpointSlice / Endpoints (Services
 * without selectors, conditions.ready), ExternalName; and "Virtual IPs and Service proxies" for the
 * translation of the virtual address to a backend before the packet reaches the pod.
 */
import { describe, expect, test } from 'vitest';
import {
  canReachService,
  compile,
  findService,
  serviceMatrix,
  servicePartlyNote,
  hasErrors,
  loadCluster,
  resolveService,
  serviceAddressCaveats,
  serviceByAddress,
  type Cluster,
} from '../../src/index.js';

function load(yaml: string): Cluster {
  const r = loadCluster([{ name: 't.yaml', text: yaml }]);
  expect(hasErrors(r.diagnostics), JSON.stringify(r.diagnostics)).toBe(false);
  return r.cluster;
}

const pod = (ns: string, name: string, labels: Record<string, string>, ports = '[]', ip?: string) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: ${JSON.stringify(labels)}}
spec: {containers: [{name: c, image: x, ports: ${ports}}]}
${ip ? `status: {podIP: ${ip}}` : ''}
---`;

const svc = (ns: string, name: string, spec: string) => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: ${spec}
---`;

function answer(c: Cluster, src: string, ns: string, name: string, port?: number | string, protocol: 'TCP' | 'UDP' | null = null) {
  const index = compile(c);
  const s = findService(c.services, ns, name)!;
  const res = resolveService(index, s, port === undefined ? undefined : { port, protocol });
  const v = canReachService(index, index.resolve(src), res);
  return {
    word: v.answer,
    reason: res.reason,
    lines: v.backends.map(
      (b) => `${b.backend.label} ${b.backend.target === null ? '-' : `${b.backend.target.port}/${b.backend.target.protocol}`} ${b.allowed}`,
    ),
    notes: res.notes,
  };
}

describe('backends by selector', () => {
  test('the selector picks pods of the Service namespace only', () => {
    const c = load(
      pod('a', 'x', { app: 'db' }) + pod('b', 'y', { app: 'db' }) + pod('a', 'client', {}) + svc('a', 'db', '{selector: {app: db}, ports: [{port: 5432}]}'),
    );
    expect(answer(c, 'a/client', 'a', 'db', 5432).lines).toEqual(['a/x[Pod] 5432/TCP true']);
  });
  test('every selector label must match (equality, ANDed)', () => {
    const c = load(
      pod('a', 'x', { app: 'db', role: 'primary' }) +
        pod('a', 'y', { app: 'db' }) +
        pod('a', 'client', {}) +
        svc('a', 'db', '{selector: {app: db, role: primary}, ports: [{port: 5432}]}'),
    );
    expect(answer(c, 'a/client', 'a', 'db', 5432).lines).toEqual(['a/x[Pod] 5432/TCP true']);
  });
  test('targetPort defaults to port', () => {
    const c = load(pod('a', 'x', { app: 'w' }) + pod('a', 'client', {}) + svc('a', 'w', '{selector: {app: w}, ports: [{port: 80}]}'));
    expect(answer(c, 'a/client', 'a', 'w', 80).lines).toEqual(['a/x[Pod] 80/TCP true']);
  });
  test('a numeric targetPort is the backend port; --port names the Service port', () => {
    const c = load(pod('a', 'x', { app: 'w' }) + pod('a', 'client', {}) + svc('a', 'w', '{selector: {app: w}, ports: [{port: 80, targetPort: 8080}]}'));
    expect(answer(c, 'a/client', 'a', 'w', 80).lines).toEqual(['a/x[Pod] 8080/TCP true']);
    expect(answer(c, 'a/client', 'a', 'w', 8080).reason).toBe('a/w[Service] has no port 8080 (its ports: 80/TCP)');
  });
  test('a named targetPort resolves per backend, by name and protocol', () => {
    const c = load(
      pod('a', 'x', { app: 'w' }, '[{name: http, containerPort: 8080}]') +
        pod('a', 'y', { app: 'w' }, '[{name: http, containerPort: 9090}]') +
        pod('a', 'z', { app: 'w' }, '[{name: http, containerPort: 53, protocol: UDP}]') +
        pod('a', 'client', {}) +
        svc('a', 'w', '{selector: {app: w}, ports: [{name: web, port: 80, targetPort: http}]}'),
    );
    const r = answer(c, 'a/client', 'a', 'w', 'web');
    expect(r.lines).toEqual(['a/x[Pod] 8080/TCP true', 'a/y[Pod] 9090/TCP true', 'a/z[Pod] - false']);
    expect(r.word).toBe('partly');
  });
  test('a selector that picks nothing is answered no, with the reason', () => {
    const c = load(pod('a', 'client', {}) + svc('a', 'w', '{selector: {app: nothing}, ports: [{port: 80}]}'));
    const r = answer(c, 'a/client', 'a', 'w', 80);
    expect(r.word).toBe('no');
    expect(r.reason).toBe('the selector of a/w[Service] (app=nothing) picks no pod in namespace a');
  });
  test('a port number alone means TCP; a UDP Service port needs /UDP', () => {
    const c = load(pod('a', 'dns', { app: 'dns' }) + pod('a', 'client', {}) + svc('a', 'dns', '{selector: {app: dns}, ports: [{port: 53, protocol: UDP}]}'));
    expect(answer(c, 'a/client', 'a', 'dns', 53).reason).toBe('a/dns[Service] has no port 53 (its ports: 53/UDP)');
    expect(answer(c, 'a/client', 'a', 'dns', 53, 'UDP').lines).toEqual(['a/dns[Pod] 53/UDP true']);
  });
});

describe('the answer per backend, from the engine', () => {
  const base =
    pod('a', 'x', { app: 'w', v: '1' }) +
    pod('a', 'y', { app: 'w', v: '2' }) +
    pod('a', 'client', { role: 'c' }) +
    svc('a', 'w', '{selector: {app: w}, ports: [{port: 80, targetPort: 8080}]}');
  const allowV1 = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec:
  podSelector: {matchLabels: {v: "1"}}
  ingress: [{from: [{podSelector: {matchLabels: {role: c}}}], ports: [{port: 8080}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-v2, namespace: a}
spec:
  podSelector: {matchLabels: {v: "2"}}
  ingress: []
`;
  test('yes when every backend is reachable on its target port (policies see the target port, not the Service port)', () => {
    expect(answer(load(base + allowV1.split('---')[0]), 'a/client', 'a', 'w', 80).word).toBe('yes');
  });
  test("partly when some are; exit code 1 is the CLI's (see cli tests)", () => {
    const r = answer(load(base + allowV1), 'a/client', 'a', 'w', 80);
    expect(r.word).toBe('partly');
    expect(r.lines).toEqual(['a/x[Pod] 8080/TCP true', 'a/y[Pod] 8080/TCP false']);
  });
  test('no when none is', () => {
    // a backend reaching its own Service: loopback to itself, the other backend denied
    expect(answer(load(base + allowV1), 'a/x', 'a', 'w', 80).lines).toEqual(['a/x[Pod] 8080/TCP true', 'a/y[Pod] 8080/TCP false']);
    expect(answer(load(base + allowV1.replace('role: c', 'role: nobody')), 'a/client', 'a', 'w', 80).lines).toEqual([
      'a/x[Pod] 8080/TCP false',
      'a/y[Pod] 8080/TCP false',
    ]);
    expect(answer(load(base + allowV1.replace('role: c', 'role: nobody')), 'a/client', 'a', 'w', 80).word).toBe('no');
  });
});

describe('Service rows of the matrix (matrix --services)', () => {
  const c = (extra = '') =>
    load(
      pod('a', 'x', { app: 'w', v: '1' }) +
        pod('a', 'y', { app: 'w', v: '2' }) +
        pod('a', 'client', { role: 'c' }) +
        svc('a', 'w', '{selector: {app: w}, ports: [{name: http, port: 80, targetPort: 8080}, {name: admin, port: 81, targetPort: 9000}]}') +
        svc('a', 'gone', '{type: ExternalName, externalName: db.example.com, ports: [{port: 5432}]}') +
        extra,
    );
  const rows = (cl: Cluster) => {
    const index = compile(cl);
    const sources = index.entities.filter((e) => e.kind === 'endpoint').map((e) => ({ id: e.id, entity: e }));
    return serviceMatrix(index, sources).map(
      (r) => `${r.src.id} => ${r.id} : ${r.conn.toString()}${servicePartlyNote(r) === '' ? '' : ` (${servicePartlyNote(r)})`}`,
    );
  };
  const onlyV1on8080 = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec:
  podSelector: {matchLabels: {app: w}}
  ingress: [{from: [{podSelector: {matchLabels: {role: c}}}], ports: [{port: 8080}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-v2, namespace: a}
spec:
  podSelector: {matchLabels: {v: "2"}}
  ingress: []
`;
  test('the connections are Service ports (not target ports) through which a backend is reached', () => {
    expect(rows(c())).toContain('a/client[Pod] => a/w[Service] : TCP 80-81');
  });
  test('a port reaching some backends only is named partly with the count', () => {
    // x admits the client on 8080, y is isolated and admits nothing
    expect(rows(c(onlyV1on8080.replace('{app: w}', '{v: "1"}'))).filter((r) => r.startsWith('a/client'))).toEqual([
      'a/client[Pod] => a/w[Service] : TCP 80 (partly: TCP 80 to 1 of 2 backends)',
    ]);
  });
  test('a Service no backend of which is reached, and an ExternalName Service, make no row', () => {
    const r = rows(c(onlyV1on8080.replace('role: c', 'role: nobody')));
    expect(r.filter((l) => l.startsWith('a/client'))).toEqual([]);
    expect(r.some((l) => l.includes('a/gone[Service]'))).toBe(false);
  });
  test('a backend that is the source itself (one pod) is loopback and left out, as matrix leaves out P => P', () => {
    // x reaches y on 8080 only; x itself on every port by loopback, which would make port 81
    // "partly: 1 of 2" if it counted: it does not, so 81 is not in the row and 80 reaches all of 1
    expect(rows(c(onlyV1on8080.replace('role: c', 'v: "1"'))).filter((l) => l.startsWith('a/x'))).toEqual(['a/x[Pod] => a/w[Service] : TCP 80']);
    expect(rows(c()).filter((l) => l.startsWith('a/x'))).toEqual(['a/x[Pod] => a/w[Service] : TCP 80-81']);
  });
});

describe('Services without a selector', () => {
  const slice = (extra = '') => `
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ext-1, namespace: a, labels: {kubernetes.io/service-name: ext}}
addressType: IPv4
ports: [{name: pg, port: 5433}]
endpoints:
  - addresses: [10.0.0.5]
    targetRef: {kind: Pod, name: x}
  - addresses: [10.0.0.6]
    conditions: {ready: false}
  - addresses: [203.0.113.9]
${extra}
---`;
  const base = pod('a', 'x', { app: 'x' }, '[]', '10.0.0.5') + pod('a', 'client', {}) + svc('a', 'ext', '{ports: [{name: pg, port: 5432}]}');
  test("EndpointSlice addresses are the backends, on the slice port of the Service port's name", () => {
    const r = answer(load(base + slice()), 'a/client', 'a', 'ext', 5432);
    expect(r.lines).toEqual(['203.0.113.9[External] 5433/TCP true', 'a/x[Pod] 5433/TCP true']);
  });
  test('an address that is not ready gets no traffic and is left out, with a note', () => {
    expect(answer(load(base + slice()), 'a/client', 'a', 'ext', 5432).notes).toEqual([
      '1 not-ready address of a/ext[Service] left out: kube-proxy sends no traffic to them',
    ]);
  });
  test('Endpoints subsets work the same (notReadyAddresses left out)', () => {
    const eps = `
apiVersion: v1
kind: Endpoints
metadata: {name: ext, namespace: a}
subsets:
  - addresses: [{ip: 10.0.0.5}]
    notReadyAddresses: [{ip: 203.0.113.9}]
    ports: [{name: pg, port: 6000}]
`;
    const r = answer(load(base + eps), 'a/client', 'a', 'ext', 'pg');
    expect(r.lines).toEqual(['a/x[Pod] 6000/TCP true']);
  });
  test('no EndpointSlice at all: no, backends unknown', () => {
    expect(answer(load(base), 'a/client', 'a', 'ext', 5432).reason).toBe(
      'a/ext[Service] has no selector and the input has no EndpointSlice or Endpoints for it, so its backends are unknown',
    );
  });
  test('a slice for another Service is not used', () => {
    const other = slice().replace('kubernetes.io/service-name: ext', 'kubernetes.io/service-name: other');
    expect(answer(load(base + other), 'a/client', 'a', 'ext', 5432).word).toBe('no');
  });
});

describe('ExternalName, ClusterIP and ipBlocks', () => {
  test('an ExternalName Service has no backends: no, with the reason', () => {
    const c = load(pod('a', 'client', {}) + svc('a', 'ext', '{type: ExternalName, externalName: db.example.com}'));
    const r = answer(c, 'a/client', 'a', 'ext');
    expect(r.word).toBe('no');
    expect(r.reason).toBe(
      'a/ext[Service] is an ExternalName Service (db.example.com): clients resolve it by DNS to a name outside the cluster, so it has no backends to reach',
    );
  });
  test('a ClusterIP names its Service (in canonical form)', () => {
    const c = load(svc('a', 'w', '{clusterIP: "fd00:0::10", selector: {app: w}, ports: [{port: 80}]}'));
    expect(serviceByAddress(c.services, 'fd00::10')?.name).toBe('w');
    expect(serviceByAddress(c.services, 'fd00::11')).toBeNull();
  });
  test('a ClusterIP inside an egress ipBlock gets a caveat (policies apply after Service translation)', () => {
    const c = load(
      pod('a', 'client', {}) +
        svc('a', 'w', '{clusterIP: 10.96.0.10, selector: {app: w}, ports: [{port: 80}]}') +
        `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-vips, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.96.0.0/12}}]}]
`,
    );
    const cav = serviceAddressCaveats(c);
    expect(cav.map((x) => x.service)).toEqual(['a/w[Service]']);
    expect(cav[0]!.message).toContain('NetworkPolicy a/to-vips egress rule 0 ipBlock 10.96.0.0/12 (t.yaml:');
    expect(cav[0]!.message).toContain('contains the ClusterIP 10.96.0.10 of a/w[Service]: most CNIs apply policies after Service translation');
  });
  test('an except that holds the ClusterIP: no caveat', () => {
    const c = load(
      svc('a', 'w', '{clusterIP: 10.96.0.10, selector: {app: w}, ports: [{port: 80}]}') +
        `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-vips, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 10.96.0.0/12, except: [10.96.0.0/24]}}]}]
`,
    );
    expect(serviceAddressCaveats(c)).toEqual([]);
  });
});

describe('the Service model', () => {
  test('externalTrafficPolicy, loadBalancerSourceRanges, externalIPs and load-balancer addresses are read', () => {
    const c = load(`
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: a}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  loadBalancerSourceRanges: [203.0.113.0/24]
  externalIPs: [198.51.100.7]
  selector: {app: w}
  ports: [{port: 443, nodePort: 31443}]
status: {loadBalancer: {ingress: [{ip: 192.0.2.10}]}}
`);
    const s = c.services[0]!;
    expect([s.externalTrafficPolicy, s.loadBalancerSourceRanges, s.externalIPs, s.loadBalancerIPs, s.ports[0]!.nodePort]).toEqual([
      'Local',
      ['203.0.113.0/24'],
      ['198.51.100.7'],
      ['192.0.2.10'],
      31443,
    ]);
  });
  test('a bad externalTrafficPolicy or source range is a located error', () => {
    const r = loadCluster([
      {
        name: 'bad.yaml',
        text: 'apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec:\n  externalTrafficPolicy: Nearest\n  loadBalancerSourceRanges: [nope]\n',
      },
    ]);
    expect(r.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([
      ['INVALID_FIELD', 5],
      ['INVALID_CIDR', 6],
    ]);
  });
  test('a malformed EndpointSlice address is a located error', () => {
    const r = loadCluster([
      {
        name: 'bad.yaml',
        text: 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: s, labels: {kubernetes.io/service-name: x}}\nendpoints:\n  - addresses: [not-an-ip]\n',
      },
    ]);
    expect(r.diagnostics.map((d) => [d.code, d.location?.line, d.object])).toEqual([['INVALID_FIELD', 5, 'EndpointSlice default/s']]);
  });
});
