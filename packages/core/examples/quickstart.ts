import { compile, explainConnection, formatRule, hasErrors, loadCluster, matrix, matrixLine, toGraph } from '@kubereach/core';

const manifests = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 5432}]
`;

// 1. parse + model: bad input is diagnostics (with file:line:col), never an exception
const { cluster, diagnostics } = loadCluster([{ name: 'shop.yaml', text: manifests }]);
if (hasErrors(diagnostics)) throw new Error(diagnostics.map((d) => d.message).join('\n'));

// 2. compile once into a ReachabilityIndex
const index = compile(cluster);

// 3. query it: point questions, connection sets, explanations, the matrix, a graphology view
export const webToDb = index.can('shop/web', 'shop/db', 'TCP', 5432); // true
export const dbToWeb = index.connections('shop/db', 'shop/web').toString(); // 'All Connections' (web is not isolated)
export const webToMetadata = index.can('shop/web', '169.254.169.254', 'TCP', 80); // true: nothing limits web's egress

const verdict = explainConnection(index, index.resolve('shop/web'), index.resolve('shop/db'), 'TCP', 5432);
export const why = verdict.ingress.steps.map((s) => (s.kind === 'np-allow' ? s.rules.map(formatRule).join(' + ') : s.kind)); // ['[NetworkPolicy shop/db-from-web rule 0] Allow']

export const lines = matrix(index, { external: false }).map(matrixLine);
// [ 'shop/db[Pod] => shop/web[Pod] : All Connections', 'shop/web[Pod] => shop/db[Pod] : TCP 5432' ]

export const graph = toGraph(index, { external: false }); // nodes: endpoints; edges carry the ConnectionSet
