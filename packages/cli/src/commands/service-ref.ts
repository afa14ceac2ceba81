/**
 * Service names on the command line: `svc/NAME` (also `service/NAME`, `services/NAME`; namespace from
 * `-n`), `NS/NAME[Service]`, `NAME[Service]` (namespace from `-n`), or a Service's ClusterIP. Returns
 * null for anything else, so pods and workloads resolve as before.
 */
import { findService, serviceByAddress, type Service } from '@kubereach/core';
import { UsageError } from '../io.js';

const TYPE_PREFIX = /^(?:svc|service|services)\/([^/]+)$/i;
const KIND_SUFFIX = /^(?:([^/]+)\/)?([^/[\]]+)\[Service\]$/;

export function parseServiceRef(services: readonly Service[], ref: string, namespace: string, role: string): Service | null {
  let ns: string | null = null;
  let name: string | null = null;
  const t = TYPE_PREFIX.exec(ref);
  if (t !== null) {
    ns = namespace;
    name = t[1]!;
  } else {
    const k = KIND_SUFFIX.exec(ref);
    if (k !== null) {
      ns = k[1] ?? namespace;
      name = k[2]!;
    }
  }
  if (name === null || ns === null) return serviceByAddress(services, ref.trim());
  const found = findService(services, ns, name);
  if (found !== null) return found;
  const near = services
    .filter((s) => s.name === name || s.name.includes(name!) || name!.includes(s.name))
    .slice(0, 5)
    .map((s) => `  ${s.namespace}/${s.name}[Service]`);
  const hint = near.length > 0 ? `; did you mean:\n${near.join('\n')}` : services.length === 0 ? '; the input has no Services' : '';
  throw new UsageError(`${role} Service '${ns}/${name}' not found${hint}`);
}
