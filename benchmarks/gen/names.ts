/**
 * Word lists for names and label values. Drawn from what real clusters look like: team-owned
 * namespaces per environment, a handful of recurring app names, tiers that decide ports.
 */

export const TEAMS: readonly string[] = [
  'payments',
  'checkout',
  'identity',
  'search',
  'catalog',
  'growth',
  'ads',
  'risk',
  'fraud',
  'billing',
  'platform',
  'data',
  'ml',
  'mobile',
  'web',
  'support',
  'logistics',
  'inventory',
  'pricing',
  'partner',
  'messaging',
  'media',
  'maps',
  'reviews',
  'loyalty',
  'marketing',
  'finance',
  'hr',
  'legal',
  'security',
  'infra',
  'storage',
  'streaming',
  'analytics',
  'core',
  'edge',
  'telco',
  'iot',
  'devex',
  'sre',
];

export const DOMAINS: readonly string[] = [
  'api',
  'svc',
  'apps',
  'backend',
  'frontend',
  'jobs',
  'stream',
  'store',
  'portal',
  'gateway',
  'events',
  'sync',
  'batch',
  'core',
  'hub',
  'engine',
  'workers',
  'edge',
  'ops',
  'tools',
];

export const ENVS: readonly (readonly [string, number])[] = [
  ['prod', 5],
  ['staging', 3],
  ['dev', 2],
];

/** Tiers decide the container ports (see workloads.ts). */
export type Tier = 'frontend' | 'backend' | 'worker' | 'cache' | 'db' | 'queue' | 'telco';

/** App names per tier; a namespace draws several and dedupes with a numeric suffix. */
export const APPS: Readonly<Record<Tier, readonly string[]>> = {
  frontend: ['web', 'frontend', 'ui', 'portal', 'storefront', 'admin-ui', 'docs'],
  backend: [
    'api',
    'gateway',
    'auth',
    'users',
    'orders',
    'cart',
    'payments',
    'search',
    'catalog',
    'inventory',
    'pricing',
    'notifications',
    'profile',
    'recommendations',
    'ledger',
    'accounts',
    'shipping',
    'graphql',
  ],
  worker: ['worker', 'scheduler', 'consumer', 'indexer', 'mailer', 'exporter', 'reconciler'],
  cache: ['redis', 'memcached'],
  db: ['postgres', 'mysql', 'mongodb', 'cassandra'],
  queue: ['kafka', 'rabbitmq', 'nats'],
  telco: ['amf', 'smf', 'upf'],
};

/** Which workload kind each tier runs as. */
export const TIER_KIND: Readonly<Record<Tier, 'Deployment' | 'StatefulSet'>> = {
  frontend: 'Deployment',
  backend: 'Deployment',
  worker: 'Deployment',
  cache: 'StatefulSet',
  db: 'StatefulSet',
  queue: 'StatefulSet',
  telco: 'Deployment',
};

export const TIER_WEIGHTS: readonly (readonly [Tier, number])[] = [
  ['frontend', 14],
  ['backend', 48],
  ['worker', 16],
  ['cache', 8],
  ['db', 8],
  ['queue', 4],
  ['telco', 2],
];

export const DEPLOYMENT_REPLICAS: readonly (readonly [number, number])[] = [
  [1, 12],
  [2, 20],
  [3, 24],
  [4, 10],
  [5, 8],
  [6, 6],
  [8, 5],
  [10, 5],
  [12, 3],
  [20, 2],
  [40, 1],
];

export const STATEFULSET_REPLICAS: readonly (readonly [number, number])[] = [
  [1, 4],
  [2, 2],
  [3, 8],
  [5, 2],
];

export const ZONES: readonly string[] = ['a', 'b', 'c'];

export const INSTANCE_TYPES: readonly string[] = ['m6i.xlarge', 'm6i.2xlarge', 'c6i.2xlarge', 'r6i.xlarge'];
