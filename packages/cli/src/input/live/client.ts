/**
 * GET requests to the API server, authenticated by the real client: `KubeConfig.applyToHTTPSOptions`
 * supplies the TLS agent (CA, client certificate, skip-verify, proxy) and the Authorization header
 * (token, token file, exec plugin, OIDC), refreshed on every request. Bodies are kept as the server
 * sent them (plain JSON): the client's typed deserialisers drop fields they do not know and turn
 * timestamps into Dates, and a snapshot must hold the objects exactly as listed.
 *
 * Every failure becomes a LiveError whose message is one line that is safe to print: it names the
 * server, the context and the cause, and never a header, token, key or response body of a 401.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** A failure of the live source; `status` is the HTTP status when the server answered. */
export class LiveError extends Error {
  override name = 'LiveError';
  constructor(
    message: string,
    readonly status: number | null = null,
    /** The reason field of a Kubernetes Status (Forbidden, NotFound, Expired, Gone...). */
    readonly reason: string | null = null,
  ) {
    super(message);
  }
}

/** TLS error codes from node's tls module, as the cause a user can act on. */
const TLS_CAUSES: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not trusted by the kubeconfig's certificate-authority",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate chain ends in a CA the kubeconfig does not trust",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate is not signed by the kubeconfig's certificate-authority",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate is not signed by the kubeconfig's certificate-authority",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not yet valid",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this host",
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server does not speak TLS on this port',
  EPROTO: 'the TLS handshake failed',
};

const NET_CAUSES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
};

export interface LiveClientOptions {
  /** Per-request timeout for lists and discovery (not for watches), ms. */
  readonly timeoutMs?: number;
}

export class LiveClient {
  readonly server: string;
  readonly context: string;
  readonly user: string;
  private readonly timeoutMs: number;

  constructor(
    readonly kc: KubeConfig,
    options: LiveClientOptions = {},
  ) {
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new LiveError('the kubeconfig context names no cluster');
    this.server = cluster.server.replace(/\/+$/, '');
    this.context = kc.getCurrentContext();
    this.user = kc.getCurrentUser()?.name ?? '';
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** `the API server https://host:6443 (context "x")`, the subject of every failure message. */
  where(): string {
    return `the API server ${this.server} (context "${this.context}")`;
  }

  /** GET `path` (with query) and parse JSON. Non-2xx statuses throw a LiveError with `status` set. */
  async getJson(path: string): Promise<unknown> {
    const opts: https.RequestOptions = {};
    try {
      await this.kc.applyToHTTPSOptions(opts);
    } catch (e) {
      // an exec plugin or a token or certificate file failed: its message may hold its output
      throw new LiveError(`cannot get credentials for user "${this.user}" of context "${this.context}": ${credentialFailure(e)}`);
    }
    const url = new URL(this.server + path);
    const lib = url.protocol === 'http:' ? http : https;
    const headers: Record<string, string> = { Accept: 'application/json' };
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    return new Promise((resolvePromise, reject) => {
      const req = lib.request(url, { method: 'GET', agent: opts.agent, headers, auth: opts.auth ?? undefined, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(this.transportError(e)));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              resolvePromise(JSON.parse(body));
            } catch {
              reject(new LiveError(`${this.where()} answered GET ${url.pathname} with something that is not JSON`, status));
            }
            return;
          }
          reject(this.statusError(status, url.pathname, body));
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => reject(this.transportError(e)));
      req.end();
    });
  }

  /** A Kubernetes Status body's reason and message (never for 401: its body is not shown at all). */
  statusError(status: number, path: string, body: string): LiveError {
    let reason: string | null = null;
    let message = '';
    try {
      const s = JSON.parse(body) as { reason?: unknown; message?: unknown };
      if (typeof s.reason === 'string') reason = s.reason;
      if (typeof s.message === 'string') message = s.message;
    } catch {
      // not a Status: the code alone
    }
    if (status === 401) {
      return new LiveError(
        `${this.where()} rejected the credentials of user "${this.user}" (401 Unauthorized): the token or client certificate is expired or invalid; log in again or refresh the kubeconfig`,
        status,
        reason ?? 'Unauthorized',
      );
    }
    const text = `${status} ${http.STATUS_CODES[status] ?? ''}`.trim();
    return new LiveError(`${this.where()} answered GET ${path} with ${text}${message === '' ? '' : `: ${oneLine(message)}`}`, status, reason);
  }

  transportError(e: unknown): LiveError {
    if (e instanceof LiveError) return e;
    const code = (e as NodeJS.ErrnoException | null)?.code ?? '';
    const tls = TLS_CAUSES[code];
    if (tls !== undefined) return new LiveError(`TLS failure talking to ${this.where()}: ${tls} (${code})`);
    if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /certificate|TLS|SSL/i.test((e as Error)?.message ?? '')) {
      return new LiveError(`TLS failure talking to ${this.where()}${code === '' ? '' : ` (${code})`}`);
    }
    const net = NET_CAUSES[code];
    return new LiveError(`cannot reach ${this.where()}: ${net ?? (code === '' ? 'connection failed' : code)}`);
  }
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 300 ? `${t.slice(0, 297)}...` : t;
}

/** The cause of a credential failure without its text when it may contain secrets. */
function credentialFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return `a file it names does not exist (${(e as NodeJS.ErrnoException).path ?? ''})`;
  if (code === 'EACCES') return `a file it names cannot be read (${(e as NodeJS.ErrnoException).path ?? ''})`;
  return 'the credential plugin or file failed';
}
