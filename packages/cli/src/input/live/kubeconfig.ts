/**
 * Which kubeconfig files a live read uses, with kubectl's precedence: `--kubeconfig PATH` (repeatable
 * here, merged in order), else every file of `KUBECONFIG` (path-list separated), else
 * `~/.kube/config`. The first file that names a current-context decides it, as kubectl merges; the
 * files are parsed by the real client (`@kubernetes/client-node`), which also handles exec plugins,
 * token files and client certificates. Nothing read from them is ever printed.
 */
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { UsageError } from '../../io.js';

export interface KubeconfigChoice {
  /** The files, as absolute paths, in merge order. */
  readonly files: readonly string[];
  /** Where the list came from, for messages. */
  readonly from: '--kubeconfig' | 'KUBECONFIG' | '~/.kube/config';
}

export function kubeconfigFiles(flagPaths: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): KubeconfigChoice {
  if (flagPaths.length > 0) return { files: flagPaths.map((p) => resolve(cwd, p)), from: '--kubeconfig' };
  const list = env['KUBECONFIG'];
  if (list !== undefined && list !== '') {
    const files = list.split(delimiter).filter((f) => f !== '');
    // kubectl skips KUBECONFIG entries that do not exist; only an empty result is an error
    const present = files.map((f) => resolve(cwd, f)).filter((f) => existsSync(f));
    if (present.length === 0) throw new UsageError(`KUBECONFIG names no file that exists (${files.length} entr${files.length === 1 ? 'y' : 'ies'})`);
    return { files: present, from: 'KUBECONFIG' };
  }
  const home = env['HOME'] ?? env['USERPROFILE'];
  if (home === undefined) throw new UsageError('no kubeconfig: give --kubeconfig PATH or set KUBECONFIG (HOME is not set)');
  const file = join(home, '.kube', 'config');
  if (!existsSync(file)) throw new UsageError(`no kubeconfig: ${file} does not exist; give --kubeconfig PATH or set KUBECONFIG`);
  return { files: [file], from: '~/.kube/config' };
}

/** Loads and merges the files with the real client; `context` overrides the current context. */
export async function loadKubeconfig(choice: KubeconfigChoice, context: string | undefined): Promise<KubeConfig> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  for (const [i, file] of choice.files.entries()) {
    if (!existsSync(file)) throw new UsageError(`kubeconfig ${file}: no such file`);
    const one = new k8s.KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (e) {
      // the parser's message can quote the file's text (and so a credential): never pass it on
      throw new UsageError(`kubeconfig ${file}: not a valid kubeconfig (${safeReason(e)})`);
    }
    if (i === 0) {
      kc.loadFromOptions({ clusters: one.clusters, users: one.users, contexts: one.contexts, currentContext: one.currentContext });
      continue;
    }
    // kubectl's merge: the first definition of a name wins, later files only add
    for (const c of one.clusters) if (kc.getCluster(c.name) === null) kc.addCluster(c);
    for (const u of one.users) if (kc.getUser(u.name) === null) kc.addUser(u);
    for (const c of one.contexts) if (kc.getContextObject(c.name) === null) kc.addContext(c);
    if (!kc.getCurrentContext() && one.currentContext) kc.setCurrentContext(one.currentContext);
  }
  if (context !== undefined) {
    if (kc.getContextObject(context) === null) {
      const names = kc.getContexts().map((c) => c.name);
      throw new UsageError(`context "${context}" is not in the kubeconfig (${names.length === 0 ? 'it has no contexts' : `contexts: ${names.join(', ')}`})`);
    }
    kc.setCurrentContext(context);
  }
  const current = kc.getCurrentContext();
  if (!current) throw new UsageError('the kubeconfig names no current context: give --context NAME');
  const ctx = kc.getContextObject(current);
  if (ctx === null) throw new UsageError(`the current context "${current}" is not defined in the kubeconfig`);
  if (kc.getCluster(ctx.cluster) === null)
    throw new UsageError(`context "${current}" refers to cluster "${ctx.cluster}", which the kubeconfig does not define`);
  if (ctx.user !== undefined && ctx.user !== '' && kc.getUser(ctx.user) === null)
    throw new UsageError(`context "${current}" refers to user "${ctx.user}", which the kubeconfig does not define`);
  return kc;
}

/** An error's kind without its text: YAML parser messages quote the offending line. */
function safeReason(e: unknown): string {
  const line = (e as { mark?: { line?: number } } | null)?.mark?.line;
  return line === undefined ? 'unreadable' : `YAML error at line ${line + 1}`;
}
