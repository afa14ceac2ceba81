/**
 * `kubereach fix [FINDING_ID...] [-o yaml|json|patch] [--keep FLOWS] [--tier networkpolicy|admin]`:
 * policies that close network findings while keeping every other connection (or only the kept
 * flows), verified before printing: they are added to the input, the audit and the diff run again,
 * and the header says which findings are closed and exactly what changed.
 * Exit 0 when every targeted finding is closed, 1 when some is not (not closable by adding
 * policies, or still open after the check), 2 on bad input.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  auditIndex,
  auditNetwork,
  ConnectionSet,
  FIXABLE_IDS,
  planFix,
  renderObjects,
  verifyFix,
  type Finding,
  type FixTier,
  type IndexEntity,
} from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { compileLoaded } from '../input/profile.js';
import { loadClusterFrom, type InputFlags } from '../input/load.js';
import { flowCidrs, readFlowFile, resolveFlows } from '../input/flow-file.js';
import { filePatch } from '../format/patch.js';
import { targetOptionsFrom, type TargetFlags } from './target.js';

export interface FixFlags extends InputFlags, TargetFlags {
  readonly output?: 'yaml' | 'json' | 'patch';
  readonly keep?: string;
  readonly tier?: FixTier;
}

/** The file a patch creates: kubereach-fix.yaml in the first -f folder (or beside the first -f file). */
function patchPath(flags: FixFlags, io: CliIO): { rel: string; abs: string } {
  const first = (flags.filename ?? []).find((f) => f !== '-');
  let dir = io.cwd;
  if (first !== undefined) {
    const p = resolve(io.cwd, first);
    dir = existsSync(p) && statSync(p).isDirectory() ? p : dirname(p);
  }
  const abs = join(dir, 'kubereach-fix.yaml');
  const rel = relative(io.cwd, abs);
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new UsageError(
      `-o patch writes a path relative to the working directory, and ${abs} is outside it: run kubereach from the repository that holds the manifests`,
    );
  return { rel: rel.split(sep).join('/'), abs };
}

export async function fixCommand(ids: readonly string[], flags: FixFlags, io: CliIO): Promise<number> {
  for (const id of ids)
    if (!(FIXABLE_IDS as readonly string[]).includes(id)) throw new UsageError(`'${id}' is not a finding fix handles (${FIXABLE_IDS.join(', ')})`);
  const opts = targetOptionsFrom(flags);
  const patch = flags.output === 'patch' ? patchPath(flags, io) : null;
  const rawKeep = flags.keep === undefined ? null : await readFlowFile(flags.keep, '--keep', io);
  const compiled = await compileLoaded(await loadClusterFrom(flags, io), flags, io);
  const caveats = compiled.caveats;
  const extraCidrs = rawKeep === null ? [] : flowCidrs(rawKeep);
  const index = auditIndex(compiled.index, { ...opts, extraCidrs });
  let keep: ((s: IndexEntity, d: IndexEntity) => ConnectionSet) | undefined;
  if (rawKeep !== null) {
    const m = new Map<string, ConnectionSet>();
    for (const f of resolveFlows(index, rawKeep, flags.keep!))
      m.set(`${f.src.index},${f.dst.index}`, (m.get(`${f.src.index},${f.dst.index}`) ?? ConnectionSet.NONE).union(f.conn));
    keep = (s, d) => m.get(`${s.index},${d.index}`) ?? ConnectionSet.NONE;
  }
  const tier: FixTier = flags.tier ?? 'networkpolicy';
  const wanted = ids.length === 0 ? FIXABLE_IDS : ids;
  const findings: Finding[] = auditNetwork(index, opts).filter((f) => (wanted as readonly string[]).includes(f.id));
  const plan = planFix(index, findings, { ...opts, tier, extraCidrs, ...(keep === undefined ? {} : { keep }) });
  const body = renderObjects(plan.objects);
  const v = plan.objects.length === 0 ? null : verifyFix(index, body, plan.closing, { ...opts, extraCidrs });
  const changed =
    v === null
      ? []
      : [
          ...v.diff.added.map((e) => `${e.src} => ${e.dst}: opened ${e.conn.toString()}`),
          ...v.diff.removed.map((e) => `${e.src} => ${e.dst}: closed ${e.conn.toString()}`),
          ...v.diff.changed.map((e) => `${e.src} => ${e.dst}: ${e.before.toString()} -> ${e.after.toString()}`),
        ];
  const seen = new Set<string>();
  const closed =
    v === null ? [] : plan.closing.filter((f) => !v.stillOpen.includes(f) && !seen.has(`${f.id} ${f.subject}`) && (seen.add(`${f.id} ${f.subject}`), true));
  const what = tier === 'admin' ? `${plan.objects.length} ClusterNetworkPolicy (Admin tier)` : `${plan.objects.length} NetworkPolicies`;
  const header = [
    ...caveats.map((c) => `caveat: ${c}`),
    `kubereach fix: ${findings.length} finding${findings.length === 1 ? '' : 's'} of ${wanted.join(', ')}; ${what} to add (kubectl apply -f -)${rawKeep === null ? '' : `, keeping only the flows of ${flags.keep}`}.`,
    ...(v === null
      ? []
      : [
          `verified: added to the input and audited again: ${plan.closing.length - v.stillOpen.length} of ${plan.closing.length} findings closed${v.stillOpen.length > 0 ? `; STILL OPEN: ${v.stillOpen.map((f) => `${f.id} ${f.subject}`).join(', ')}` : ''}.`,
        ]),
    ...closed.map((f) => `  closed: ${f.id} ${f.subject}`),
    ...(v === null
      ? []
      : changed.length === 0
        ? ['  nothing else changed: every other pair allows exactly what it allows today.']
        : [
            `  what changed (${changed.length} pairs; nothing else did):`,
            ...changed.slice(0, 100).map((l) => `    ${l}`),
            ...(changed.length > 100 ? [`    ... and ${changed.length - 100} more (-o json lists all)`] : []),
          ]),
    ...plan.notClosable.map((n) => `  NOT closed: ${n.finding.id} ${n.finding.subject}: ${n.why}`),
  ];
  if (flags.output === 'json') {
    io.stdout(
      `${JSON.stringify(
        {
          tier,
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
  } else if (patch !== null) {
    if (plan.objects.length > 0)
      io.stdout(filePatch(patch.rel, existsSync(patch.abs) ? readFileSync(patch.abs, 'utf8') : null, renderObjects(plan.objects, header)));
  } else io.stdout(renderObjects(plan.objects, header));
  for (const l of header.filter((x) => /^(verified| {2}NOT closed| {2}nothing else|caveat)/.test(x) || x.startsWith('kubereach fix')))
    io.stderr(`${l.startsWith('kubereach') ? '' : 'kubereach: '}${l.trim()}\n`);
  if (patch !== null && plan.objects.length > 0) io.stderr(`kubereach: -o patch: creates ${patch.rel}; apply with git apply (or patch -p1)\n`);
  const ok = plan.notClosable.length === 0 && (v === null || v.stillOpen.length === 0);
  return ok ? EXIT.ok : EXIT.negative;
}
