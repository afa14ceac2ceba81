/**
 * `kubereach snapshot --live -o cluster.json|cluster.yaml`: the objects a live read lists, as one
 * `kind: List` that every command reads back with `-f`. The JSON is the very text `--live` loads, so
 * answers from the snapshot equal the live ones (only the source name in locations differs); YAML is
 * the same objects, one List document. `-o -` (or no -o) writes JSON to stdout.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { liveNamespace, type InputFlags } from '../input/load.js';

export interface SnapshotFlags extends InputFlags {
  readonly output?: string;
}

export async function snapshotCommand(flags: SnapshotFlags, io: CliIO): Promise<number> {
  if (!flags.live) throw new UsageError('snapshot reads a live cluster: give --live');
  if ((flags.filename ?? []).length > 0) throw new UsageError('snapshot writes the live cluster only; -f is not taken');
  if (flags.allNamespaces && flags.namespace !== undefined) throw new UsageError('-n and -A exclude each other');
  const out = flags.output ?? '-';
  const yaml = /\.ya?ml$/i.test(out);
  if (out !== '-' && !yaml && !/\.json$/i.test(out))
    throw new UsageError(`-o ${out}: the snapshot's format comes from the name; end it in .json, .yaml or .yml (or - for JSON on stdout)`);
  const { readLive } = await import('../input/live/index.js');
  const { listText } = await import('../input/live/list.js');
  const live = await readLive({ kubeconfig: flags.kubeconfig, context: flags.context, liveNamespace: liveNamespace(flags) }, io);
  for (const c of live.listing.caveats) io.stderr(`warning: ${c} (the snapshot lacks these objects)\n`);
  const text = yaml
    ? stringify({ apiVersion: 'v1', kind: 'List', metadata: {}, items: live.listing.objects }, { lineWidth: 0 })
    : listText(live.listing.objects);
  if (out === '-') io.stdout(text);
  else {
    try {
      await writeFile(resolve(io.cwd, out), text);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(
        `-o ${out}: cannot write (${code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'error')})`,
      );
    }
    const counts = live.listing.listed.filter((l) => l.count > 0).map((l) => `${l.spec.resource} ${l.count}`);
    io.stderr(`wrote ${live.listing.objects.length} objects to ${out}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}\n`);
  }
  return EXIT.ok;
}
