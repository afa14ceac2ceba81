/**
 * The live source: kubeconfig -> client -> discovery -> paginated lists -> one `kind: List` text that
 * the core loads like any file. Answers from `--live` and from a snapshot of it are therefore the same
 * by construction: both are the same text through the same loader. Imported lazily (only with
 * `--live`), so file-only runs never load the Kubernetes client.
 */
import type { InputSource } from '@kubereach/core';
import type { KubeConfig } from '@kubernetes/client-node';
import type { CliIO } from '../../io.js';
import { UsageError } from '../../io.js';
import { LiveClient, LiveError } from './client.js';
import { kubeconfigFiles, loadKubeconfig, type KubeconfigChoice } from './kubeconfig.js';
import { discover, listCluster, listText, type LiveListing } from './list.js';

export { LiveClient, LiveError } from './client.js';
export type { LiveListing } from './list.js';

export interface LiveFlags {
  readonly kubeconfig?: string[];
  readonly context?: string;
  /** Set only when the user gave -n (see run.ts): limits namespaced lists. */
  readonly liveNamespace?: string;
}

export interface LiveRead {
  readonly source: InputSource;
  readonly listing: LiveListing;
  readonly client: LiveClient;
  readonly kubeconfig: KubeconfigChoice;
  readonly kc: KubeConfig;
}

/** The name the live source carries in diagnostics: `cluster(CONTEXT)`. */
export function liveSourceName(context: string): string {
  return `cluster(${context})`;
}

export async function connect(flags: LiveFlags, io: CliIO): Promise<{ client: LiveClient; kubeconfig: KubeconfigChoice; kc: KubeConfig }> {
  const kubeconfig = kubeconfigFiles(flags.kubeconfig ?? [], io.env, io.cwd);
  const kc = await loadKubeconfig(kubeconfig, flags.context);
  try {
    return { client: new LiveClient(kc), kubeconfig, kc };
  } catch (e) {
    if (e instanceof LiveError) throw new UsageError(e.message);
    throw e;
  }
}

/** Reads the cluster; LiveErrors become one-line usage errors (exit 2); 403s become warnings. */
export async function readLive(flags: LiveFlags, io: CliIO): Promise<LiveRead> {
  const { client, kubeconfig, kc } = await connect(flags, io);
  const progress = io.stderrIsTTY
    ? (counts: ReadonlyMap<string, number>) => io.stderr(`\r\u001b[2Klisting ${client.server}: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}`)
    : undefined;
  let listing: LiveListing;
  try {
    const served = await discover(client);
    listing = await listCluster(client, served, { namespace: flags.liveNamespace, onProgress: progress });
  } catch (e) {
    if (e instanceof LiveError) throw new UsageError(e.message);
    throw e;
  } finally {
    if (progress !== undefined) io.stderr('\r\u001b[2K');
  }
  for (const w of listing.warnings) io.stderr(`warning: ${w}\n`);
  return { source: { name: liveSourceName(client.context), text: listText(listing.objects) }, listing, client, kubeconfig, kc };
}
