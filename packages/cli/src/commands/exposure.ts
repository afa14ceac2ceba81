/**
 * `kubereach exposure [-o text|json|md] [--ingress-controller REF]`: every workload reachable from
 * outside the cluster, by entry (NodePort/LoadBalancer Service, Ingress, Gateway + Route), with the
 * path and whether NetworkPolicies on the way admit it. Exit 0 (a listing, not a verdict).
 */
import { entryPoints, type EntryPath } from '@kubereach/core';
import { EXIT, type CliIO } from '../io.js';
import { loadIndex, type InputFlags } from '../input/load.js';
import { resolveRef } from './resolve.js';

export interface ExposureFlags extends InputFlags {
  readonly output?: 'text' | 'json' | 'md';
  readonly ingressController?: string[];
}

function where(p: EntryPath): string {
  return p.target === null ? '' : ` :${p.target.port}/${p.target.protocol}`;
}

export async function exposureCommand(flags: ExposureFlags, io: CliIO): Promise<number> {
  const { index, caveats } = await loadIndex(flags, io);
  const controllers = flags.ingressController?.map((r) => resolveRef(index, r, 'ingress controller'));
  const paths = entryPoints(index, controllers === undefined ? {} : { controllers });
  const count = (v: string) => paths.filter((p) => p.verdict === v).length;
  const workloads = new Set(paths.filter((p) => p.backendEntity !== null).map((p) => p.backend)).size;
  const summary = `${paths.length} entry path${paths.length === 1 ? '' : 's'} to ${workloads} workload${workloads === 1 ? '' : 's'} from outside the cluster: ${count('admitted')} admitted, ${count('partly')} partly, ${count('not admitted')} not admitted, ${count('unknown')} unknown`;
  switch (flags.output ?? 'text') {
    case 'json':
      io.stdout(
        `${JSON.stringify(
          {
            paths: paths.map((p) => ({
              kind: p.kind,
              entry: p.entry,
              via: p.via,
              service: p.service,
              backend: p.backend,
              targetPort: p.target,
              verdict: p.verdict,
              reason: p.reason,
              location: p.location,
            })),
            summary: {
              paths: paths.length,
              workloads,
              admitted: count('admitted'),
              partly: count('partly'),
              notAdmitted: count('not admitted'),
              unknown: count('unknown'),
            },
            caveats,
          },
          null,
          2,
        )}\n`,
      );
      break;
    case 'md': {
      const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
      const lines = [
        ...caveats.map((c) => `> **caveat:** ${cell(c)}`),
        ...(caveats.length > 0 ? [''] : []),
        summary,
        '',
        '| workload | entry | via | verdict | why |',
        '|---|---|---|---|---|',
      ];
      for (const p of paths)
        lines.push(
          `| ${cell((p.backendEntity === null ? p.service : p.backend) + where(p))} | ${cell(p.entry)} | ${cell(p.via)} | ${p.verdict} | ${cell(p.reason)} |`,
        );
      io.stdout(`${lines.join('\n')}\n`);
      break;
    }
    default: {
      const lines = [summary];
      for (const p of paths) {
        lines.push(`${p.backendEntity === null ? p.service : p.backend}${where(p)} <= ${p.entry}: ${p.verdict}`);
        if (p.via !== '(none)') lines.push(`  via ${p.via}`);
        lines.push(`  ${p.reason}`);
      }
      io.stdout(`${lines.join('\n')}\n`);
    }
  }
  return EXIT.ok;
}
