/**
 * `kubereach fix [FINDING_ID...] [-o yaml|json]`: NetworkPolicies that close network findings while
 * keeping every other connection, verified before printing: they are added to the input, the audit
 * and the diff run again, and the header says which findings are closed and exactly what changed.
 * Exit 0 when every targeted finding is closed, 1 when some is not (not closable by adding
 * NetworkPolicies, or still open after the check), 2 on bad input.
 */
import { auditIndex, auditNetwork, compile, FIXABLE_IDS, parseCidr, planFix, renderObjects, verifyFix, type Finding } from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { loadClusterFrom, type InputFlags } from '../input/load.js';

export interface FixFlags extends InputFlags {
  readonly output?: 'yaml' | 'json';
  readonly metadataIp?: string[];
  readonly controlPlaneIp?: string[];
}

function checkIPs(list: readonly string[] | undefined, flag: string): string[] {
  for (const ip of list ?? []) {
    if (typeof parseCidr(`${ip}/${ip.includes(':') ? 128 : 32}`) === 'string') throw new UsageError(`${flag} '${ip}' is not an IPv4 or IPv6 address`);
  }
  return [...(list ?? [])];
}

export async function fixCommand(ids: readonly string[], flags: FixFlags, io: CliIO): Promise<number> {
  for (const id of ids) if (!(FIXABLE_IDS as readonly string[]).includes(id)) throw new UsageError(`'${id}' is not a finding fix handles (${FIXABLE_IDS.join(', ')})`);
  const opts = { extraMetadataIPs: checkIPs(flags.metadataIp, '--metadata-ip'), controlPlaneIPs: checkIPs(flags.controlPlaneIp, '--control-plane-ip') };
  const { cluster, caveats } = await loadClusterFrom(flags, io);
  const index = auditIndex(compile(cluster, { ipblockPods: flags.ipblockPods ?? 'match' }), opts);
  const wanted = ids.length === 0 ? FIXABLE_IDS : ids;
  const findings: Finding[] = auditNetwork(index, opts).filter((f) => (wanted as readonly string[]).includes(f.id));
  const plan = planFix(index, findings, opts);
  const body = renderObjects(plan.objects);
  const v = plan.objects.length === 0 ? null : verifyFix(index, body, plan.closing, opts);
  const changed = v === null ? [] : [...v.diff.added.map((e) => `${e.src} => ${e.dst}: opened ${e.conn.toString()}`), ...v.diff.removed.map((e) => `${e.src} => ${e.dst}: closed ${e.conn.toString()}`), ...v.diff.changed.map((e) => `${e.src} => ${e.dst}: ${e.before.toString()} -> ${e.after.toString()}`)];
  const seen = new Set<string>();
  const closed = v === null ? [] : plan.closing.filter((f) => !v.stillOpen.includes(f) && !seen.has(`${f.id} ${f.subject}`) && (seen.add(`${f.id} ${f.subject}`), true));
  const header = [
    ...caveats.map((c) => `caveat: ${c}`),
    `kubereach fix: ${findings.length} finding${findings.length === 1 ? '' : 's'} of ${wanted.join(', ')}; ${plan.objects.length} NetworkPolicies to add (kubectl apply -f -).`,
    ...(v === null ? [] : [`verified: added to the input and audited again: ${plan.closing.length - v.stillOpen.length} of ${plan.closing.length} findings closed${v.stillOpen.length > 0 ? `; STILL OPEN: ${v.stillOpen.map((f) => `${f.id} ${f.subject}`).join(', ')}` : ''}.`]),
    ...closed.map((f) => `  closed: ${f.id} ${f.subject}`),
    ...(v === null ? [] : changed.length === 0 ? ['  nothing else changed: every other pair allows exactly what it allows today.'] : [`  what changed (${changed.length} pairs; nothing else did):`, ...changed.slice(0, 100).map((l) => `    ${l}`)]),
    ...plan.notClosable.map((n) => `  NOT closed: ${n.finding.id} ${n.finding.subject}: ${n.why}`),
  ];
  if (flags.output === 'json') {
    io.stdout(
      `${JSON.stringify(
        {
          objects: plan.objects.map((o) => ({ comment: o.comment, manifest: o.manifest })),
          closed: closed.map((f) => ({ id: f.id, subject: f.subject })),
          stillOpen: (v?.stillOpen ?? []).map((f) => ({ id: f.id, subject: f.subject })),
          notClosable: plan.notClosable.map((n) => ({ id: n.finding.id, subject: n.finding.subject, why: n.why })),
          changes: changed,
          caveats,
        },
        null,
        2,
      )}\n`,
    );
  } else io.stdout(renderObjects(plan.objects, header));
  for (const l of header.filter((x) => /^(verified|  NOT closed|  nothing else|caveat)/.test(x) || x.startsWith('kubereach fix'))) io.stderr(`${l.startsWith('kubereach') ? '' : 'kubereach: '}${l.trim()}\n`);
  const ok = plan.notClosable.length === 0 && (v === null || v.stillOpen.length === 0);
  return ok ? EXIT.ok : EXIT.negative;
}
