/**
 * Following a live cluster: one watch stream per listed resource through the real client's `Watch`
 * (its kubeconfig auth and TLS agent), from the list's resourceVersion, with bookmarks so a resumed
 * watch starts from a recent version. Events of all streams go through one queue, one at a time, in
 * arrival order.
 *
 * | stream outcome                              | what happens                                            |
 * |---------------------------------------------|---------------------------------------------------------|
 * | ADDED / MODIFIED / DELETED                  | queued as a change                                      |
 * | BOOKMARK                                    | remembered as the stream's resourceVersion              |
 * | ERROR 410 Gone, or HTTP 410                 | the resource is listed again (queued after the events   |
 * |                                             | already queued, so nothing is applied twice or missed), |
 * |                                             | then watched from the new list's resourceVersion        |
 * | closed by the server                        | watched again from the last resourceVersion seen        |
 * | 403                                         | a warning and a caveat on every later change; the       |
 * |                                             | resource is no longer followed (none left: exit 2)      |
 * | transport failure                           | retried 3 times with a delay, then fatal (one line)     |
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { LiveClient } from './client.js';
import { LiveError } from './client.js';
import { listAll, listPath, normalise, type KubeObject, type ListedResource, type ServedResource } from './list.js';
import { rbacName } from './resources.js';
import type { ObjectChange } from './state.js';

export interface FollowHandlers {
  /** A change arrived on a stream. */
  readonly onEvent: (change: ObjectChange) => Promise<void>;
  /** A resource was listed again after a 410; `objects` is its whole new list. */
  readonly onRelist: (resource: ServedResource, objects: KubeObject[]) => Promise<void>;
  readonly warn: (line: string) => void;
  /** A resource that may be listed but not watched (403 on the watch): it is no longer followed. */
  readonly onUnfollowed?: (resource: ServedResource, warning: string) => void;
}

const RETRIES = 3;

export class Follower {
  private queue: Promise<void> = Promise.resolve();
  private readonly controllers = new Set<AbortController>();
  private stopped = false;
  private fail!: (e: Error) => void;
  /** Settles when the follower stops (resolved) or fails (rejected with a LiveError). */
  readonly done: Promise<void>;
  private finish!: () => void;
  /** Resources still followed: a 403 on a watch drops one; none left is fatal (nothing would ever print). */
  private readonly followed = new Set<string>();

  constructor(
    private readonly kc: KubeConfig,
    private readonly client: LiveClient,
    private readonly namespace: string | undefined,
    private readonly handlers: FollowHandlers,
    private readonly retryDelayMs = 1000,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
  }

  start(listed: readonly ListedResource[]): void {
    for (const r of listed) this.followed.add(rbacName(r.spec));
    for (const r of listed) void this.follow(r, r.resourceVersion, 0);
  }

  /** Stops every stream; the queue drains first. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
    await this.queue.catch(() => undefined);
    this.finish();
  }

  /** Runs `task` after everything queued before it; a failure stops the follower. */
  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        await task();
      } catch (e) {
        this.abort(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  private abort(e: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const c of this.controllers) c.abort();
    this.fail(e);
  }

  private async follow(r: ServedResource, resourceVersion: string, failures: number): Promise<void> {
    if (this.stopped) return;
    const k8s = await import('@kubernetes/client-node');
    let last = resourceVersion;
    let gone = false;
    let streamError: string | null = null;
    let controller: AbortController | null = null;
    const onEvent = (type: string, obj: unknown): void => {
      const o = (obj ?? {}) as KubeObject;
      if (type === 'BOOKMARK') {
        last = String((o['metadata'] as { resourceVersion?: unknown } | undefined)?.resourceVersion ?? last);
        return;
      }
      if (type === 'ERROR') {
        const code = (o as { code?: unknown }).code;
        if (code === 410) gone = true;
        else streamError = `${String(code ?? '')} ${String((o as { message?: unknown }).message ?? '')}`.trim();
        return;
      }
      if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
      const object = normalise(o, r);
      last = String((object['metadata'] as { resourceVersion?: unknown } | undefined)?.resourceVersion ?? last);
      this.enqueue(() => this.handlers.onEvent({ type, resource: r, object }));
    };
    const onDone = (err: unknown): void => {
      if (controller !== null) this.controllers.delete(controller);
      if (this.stopped) return;
      const status = (err as { statusCode?: unknown } | null)?.statusCode;
      if (gone || status === 410) {
        this.relist(r);
        return;
      }
      if (status === 403) {
        const where = r.spec.namespaced && this.namespace !== undefined ? ` in namespace ${this.namespace}` : '';
        const line = `cannot watch ${r.spec.resource}${where}: add "watch" on ${rbacName(r.spec)}; changes to them are no longer followed`;
        this.handlers.warn(line);
        this.handlers.onUnfollowed?.(r, line);
        this.followed.delete(rbacName(r.spec));
        if (this.followed.size === 0)
          this.abort(
            new LiveError(`cannot watch any resource it listed (403 on every watch): add "watch" beside "list" in the role (deploy/kubereach-reader.yaml)`),
          );
        return;
      }
      if (err === null || err === undefined) {
        if (streamError !== null) {
          this.abort(new LiveError(`${this.client.where()} ended the watch of ${r.spec.resource}: ${streamError}`));
          return;
        }
        void this.follow(r, last, 0); // a server-side timeout: resume where it stopped
        return;
      }
      const e = typeof status === 'number' ? this.client.statusError(status, listPath(r, this.namespace), '') : this.client.transportError(err);
      if (failures + 1 >= RETRIES) {
        this.abort(e);
        return;
      }
      setTimeout(() => void this.follow(r, last, failures + 1), this.retryDelayMs);
    };
    try {
      const w = new k8s.Watch(this.kc);
      controller = await w.watch(listPath(r, this.namespace), { resourceVersion: last, allowWatchBookmarks: true }, onEvent, onDone);
      if (this.stopped) controller.abort();
      else this.controllers.add(controller);
    } catch (e) {
      onDone(e);
    }
  }

  /** Lists `r` again after a 410, in the queue (after every event already queued), then watches it anew. */
  private relist(r: ServedResource): void {
    this.enqueue(async () => {
      let res: { items: KubeObject[]; resourceVersion: string };
      try {
        res = await listAll(this.client, r, { namespace: this.namespace });
      } catch (e) {
        throw e instanceof LiveError ? e : this.client.transportError(e);
      }
      await this.handlers.onRelist(r, res.items);
      void this.follow(r, res.resourceVersion, 0);
    });
  }
}
