/**
 * Generates the inputs of peak-memory.test.ts: `node generate.mjs SHAPE MEGABYTES OUT`. Shapes: pods-json (a
 * kubectl List of realistic pods), peers-json (one NetworkPolicy with one-line ipBlock peers),
 * pods-yaml-stream (one pod per document), pods-yaml-list (one kind: List document), and each of the
 * two with `-block` (block style only, as kubectl prints it: read by the block-YAML fast path), and
 * small-yaml-list (one List of small ConfigMaps in block style, the reported 230k-object shape).
 */
import { writeFileSync } from 'node:fs';
const [shape, mb, out] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const target = mb * 1024 * 1024;
const ip = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
function pod(i) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-${i}`,
      namespace: `ns${i % 50}`,
      labels: { app: `a${i % 100}`, 'pod-template-hash': `h${i % 7}` },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `a${i % 100}-h${i % 7}`, uid: `u${i}`, controller: true }],
    },
    spec: {
      nodeName: `node${i % 20}`,
      containers: [
        {
          name: 'c',
          image: 'nginx:1.25',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
      ],
    },
    status: { phase: 'Running', podIP: ip(i), hostIP: ip(i + 1000000) },
  };
}
let parts = [];
let size = 0;
if (shape === 'small-yaml-list') {
  // the reported shape: one YAML List of many small objects in kubectl's block style (21.7 MB held
  // 230k of them, under 100 bytes each)
  for (let i = 0; size < target; i++) {
    const s = `- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-${i}\n    namespace: ns${i % 50}\n`;
    parts.push(s);
    size += s.length;
  }
  writeFileSync(out, `apiVersion: v1\nkind: List\nitems:\n${parts.join('')}`);
} else if (shape === 'pods-json') {
  for (let i = 0; size < target; i++) {
    const s = JSON.stringify(pod(i));
    parts.push(s);
    size += s.length + 1;
  }
  writeFileSync(out, `{"apiVersion":"v1","kind":"List","items":[${parts.join(',')}]}`);
} else if (shape === 'peers-json') {
  for (let i = 0; size < target; i++) {
    const s = `{"ipBlock":{"cidr":"${ip(i)}/32"}}`;
    parts.push(s);
    size += s.length + 1;
  }
  writeFileSync(
    out,
    `{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"p","namespace":"default"},"spec":{"podSelector":{},"ingress":[{"from":[${parts.join(',')}]}]}}`,
  );
} else if (shape.startsWith('pods-yaml-stream') || shape.startsWith('pods-yaml-list')) {
  const list = shape.startsWith('pods-yaml-list');
  // `-block`: block style only (kubectl's output), which the block-YAML fast path reads; otherwise a
  // flow mapping in each pod sends the text to the yaml package
  const block = shape.endsWith('-block');
  for (let i = 0; size < target; i++) {
    const p = pod(i);
    const ind = list ? '  ' : '';
    const s = [
      `${list ? '- ' : ''}apiVersion: v1`,
      `${ind}kind: Pod`,
      `${ind}metadata:`,
      `${ind}  name: ${p.metadata.name}`,
      `${ind}  namespace: ${p.metadata.namespace}`,
      `${ind}  labels:`,
      `${ind}    app: ${p.metadata.labels.app}`,
      `${ind}    pod-template-hash: ${p.metadata.labels['pod-template-hash']}`,
      `${ind}spec:`,
      `${ind}  nodeName: ${p.spec.nodeName}`,
      `${ind}  containers:`,
      `${ind}  - name: c`,
      `${ind}    image: nginx:1.25`,
      `${ind}    ports:`,
      ...(block
        ? [`${ind}    - name: http`, `${ind}      containerPort: 8080`, `${ind}      protocol: TCP`]
        : [`${ind}    - {name: http, containerPort: 8080, protocol: TCP}`]),
      `${ind}status:`,
      `${ind}  phase: Running`,
      `${ind}  podIP: ${p.status.podIP}`,
    ].join('\n');
    parts.push(s);
    size += s.length + 5;
  }
  writeFileSync(out, list ? `apiVersion: v1\nkind: List\nitems:\n${parts.join('\n')}\n` : parts.join('\n---\n') + '\n');
}
