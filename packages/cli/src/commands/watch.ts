/**
 * `kubereach watch --live [--on any|finding] [-o text|json]`: lists the cluster, builds the index,
 * then follows the watch streams and prints every reachability change as it happens, with the object
 * that caused it, and the audit findings that appear or clear.
 *
 *   text   a header naming the event and the object, then the lines `diff` prints
 *          (`added SRC => DST : BEFORE -> AFTER`), then `finding new|cleared SEVERITY ID SUBJECT: MESSAGE`
 *   json   one JSON object per line: {"event":{type,kind,apiVersion,namespace,name,resourceVersion},
 *          "objects":[...] (a re-list's changed objects), "added","removed","changed" as in `diff -o json`,
 *          "findings":{"new":[...],"cleared":[...]},"caveats":[...]}
 *
 * A resource that may be listed but not watched (403 on its watch) is a warning, and every change
 * printed after it carries a caveat saying its changes are not followed (text: `caveat: ...` lines);
 * when no watch is allowed at all, exit 2 with one line.
 *
 * `--on any` (default) prints every event that changes reachability or findings; `--on finding`
 * only those that change findings. Events that change neither print nothing; with -v each event
 * applied gets a line on stderr (what changed, how it was applied, how long it took). Runs until interrupted
 * (exit 0), or exits 2 with one line when the cluster cannot be followed.
 */
import { performance } from 'node:perf_hooks';
import { diffRows, type Finding, type ReachabilityDiff } from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { liveNamespace, type InputFlags } from '../input/load.js';
import { renderDiffText } from '../format/diff.js';
import { targetOptionsFrom, type TargetFlags } from './target.js';

export interface WatchFlags extends InputFlags, TargetFlags {
  readonly output?: 'text' | 'json';
  readonly on?: 'any' | 'finding';
}

interface Cause {
  readonly type: string;
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly resourceVersion: string;
}

function causeOf(type: string, o: Record<string, unknown>): Cause {
  const m = (o['metadata'] ?? {}) as { namespace?: string; name?: string; resourceVersion?: string };
  return {
    type,
    kind: String(o['kind']),
    apiVersion: String(o['apiVersion']),
    namespace: m.namespace ?? null,
    name: m.name ?? '',
    resourceVersion: m.resourceVersion ?? '',
  };
}

function causeText(c: Cause): string {
  return `${c.type} ${c.kind} ${c.namespace === null ? '' : `${c.namespace}/`}${c.name}`;
}

function findingText(state: 'new' | 'cleared', f: Finding): string {
  return `finding ${state} ${f.severity} ${f.id} ${f.subject}: ${f.message}\n`;
}

function findingJson(f: Finding): Record<string, unknown> {
  return { id: f.id, severity: f.severity, subject: f.subject, message: f.message };
}

function diffJson(d: ReachabilityDiff): Record<string, unknown> {
  return {
    added: d.added.map((e) => ({ src: e.src, dst: e.dst, conn: e.conn.toString() })),
    removed: d.removed.map((e) => ({ src: e.src, dst: e.dst, conn: e.conn.toString() })),
    changed: d.changed.map((e) => ({ src: e.src, dst: e.dst, before: e.before.toString(), after: e.after.toString() })),
  };
}

export async function watchCommand(flags: WatchFlags, io: CliIO): Promise<number> {
  if (!flags.live) throw new UsageError('watch follows a live cluster: give --live');
  if ((flags.filename ?? []).length > 0) throw new UsageError('watch follows the live cluster only; -f is not taken');
  if (flags.allNamespaces && flags.namespace !== undefined) throw new UsageError('-n and -A exclude each other');
  const targets = targetOptionsFrom(flags);
  const { readLive, LiveError } = await import('../input/live/index.js');
  const { WatchState } = await import('../input/live/state.js');
  const { Follower } = await import('../input/live/follow.js');
  const namespace = liveNamespace(flags);
  const live = await readLive({ kubeconfig: flags.kubeconfig, context: flags.context, liveNamespace: namespace }, io);
  for (const c of live.listing.caveats) io.stderr(`warning: ${c}\n`);
  const warn = (line: string) => io.stderr(`warning: ${line}\n`);
  const state = new WatchState(live.listing.listed, {
    ipblockPods: flags.ipblockPods,
    defaultNamespace: flags.namespace ?? 'default',
    targets,
    kubeconfigs: live.kubeconfig.files,
    warn,
  });
  await state.init(live.listing.objects);
  for (const c of state.caveats) warn(c);
  io.stderr(
    `watching ${state.size} objects of ${live.client.server} (context "${live.client.context}"): ${state.findings.length} finding${state.findings.length === 1 ? '' : 's'} now; Ctrl-C to stop\n`,
  );
  const json = flags.output === 'json';
  const onlyFindings = flags.on === 'finding';

  // resources listed but not watchable (403 on the watch): every change printed after says so
  const unfollowed: string[] = [];
  const print = (cause: Cause, objects: Cause[], change: import('../input/live/state.js').StateChange): void => {
    const reach = change.diff.added.length + change.diff.removed.length + change.diff.changed.length > 0;
    const finds = change.newFindings.length + change.clearedFindings.length > 0;
    if (!finds && (onlyFindings || !reach)) return;
    if (json) {
      const line: Record<string, unknown> = { event: cause };
      if (objects.length > 0) line['objects'] = objects;
      Object.assign(line, onlyFindings ? {} : diffJson(change.diff));
      line['findings'] = { new: change.newFindings.map(findingJson), cleared: change.clearedFindings.map(findingJson) };
      line['caveats'] = [...live.listing.caveats, ...state.caveats, ...unfollowed];
      io.stdout(`${JSON.stringify(line)}\n`);
      return;
    }
    let out = `${causeText(cause)}${cause.resourceVersion === '' ? '' : ` (resourceVersion ${cause.resourceVersion})`}\n`;
    for (const o of objects) out += `  ${causeText(o)}\n`;
    if (!onlyFindings) out += renderDiffText(diffRows(change.diff), null);
    for (const f of change.newFindings) out += findingText('new', f);
    for (const f of change.clearedFindings) out += findingText('cleared', f);
    for (const c of unfollowed) out += `caveat: ${c}\n`;
    io.stdout(out);
  };

  const follower = new Follower(live.kc, live.client, namespace, {
    onEvent: async (c) => {
      const t0 = performance.now();
      const cause = causeOf(c.type, c.object);
      const change = await state.apply([c]);
      print(cause, [], change);
      if (flags.verbose) {
        const n = change.diff.added.length + change.diff.removed.length + change.diff.changed.length;
        const f = change.newFindings.length + change.clearedFindings.length;
        io.stderr(
          `applied ${causeText(cause)}: ${n} pair${n === 1 ? '' : 's'} changed, ${f} finding${f === 1 ? '' : 's'} changed, ${change.incremental ? 'incremental' : 'recompiled'}, ${(performance.now() - t0).toFixed(1)} ms\n`,
        );
      }
    },
    onRelist: async (r, objects) => {
      const { change, changes } = await state.relist([r], objects);
      const n = changes.length;
      const cause: Cause = {
        type: 'RELIST',
        kind: r.spec.kind,
        apiVersion: r.apiVersion,
        namespace: namespace ?? null,
        name: `(410 Gone: listed again, ${n} object${n === 1 ? '' : 's'} changed)`,
        resourceVersion: '',
      };
      print(
        cause,
        changes.map((c) => causeOf(c.type, c.object)),
        change,
      );
    },
    warn,
    onUnfollowed: (r) =>
      unfollowed.push(`changes to ${r.spec.resource} are not followed (no "watch" permission): answers may be stale where they depend on them`),
  });
  const signal = io.signal;
  if (signal?.aborted) return EXIT.ok;
  signal?.addEventListener('abort', () => void follower.stop(), { once: true });
  follower.start(live.listing.listed);
  try {
    await follower.done;
  } catch (e) {
    if (e instanceof LiveError || e instanceof UsageError) throw new UsageError(e.message);
    throw e;
  }
  return EXIT.ok;
}
