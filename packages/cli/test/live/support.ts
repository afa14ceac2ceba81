/** Kubeconfig files and CLI runs against the fake API server. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { memoryIO, run } from '../../src/index.js';
import { chunksOf } from '../../src/io.js';
import { readInputs } from '../../src/input/read.js';
import type { Certs, Obj } from './fake-apiserver.js';

/** The bearer token every test server accepts; asserted absent from all output. */
export const TOKEN = 'kr-test-token-6f1c2a9e8d7b4c3a';
export const EXPIRED_TOKEN = 'kr-expired-token-0b9e8d7c6a5f';

const b64 = (s: string) => Buffer.from(s).toString('base64');

export interface KubeconfigOptions {
  readonly server: string;
  readonly certs: Certs;
  readonly auth?: 'token' | 'cert' | 'expired' | 'none';
  /** Trust a CA that did not sign the server certificate. */
  readonly wrongCa?: boolean;
  readonly context?: string;
}

/** Writes a kubeconfig (mode 0600) and returns its path. */
export function writeKubeconfig(dir: string, name: string, o: KubeconfigOptions): string {
  const ctx = o.context ?? 'test';
  const auth = o.auth ?? 'token';
  const user: Obj =
    auth === 'token'
      ? { token: TOKEN }
      : auth === 'expired'
        ? { token: EXPIRED_TOKEN }
        : auth === 'cert'
          ? { 'client-certificate-data': b64(o.certs.clientCert), 'client-key-data': b64(o.certs.clientKey) }
          : {};
  const kc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: `${ctx}-cluster`, cluster: { server: o.server, 'certificate-authority-data': b64(o.wrongCa ? o.certs.otherCaCert : o.certs.caCert) } }],
    users: [{ name: `${ctx}-user`, user }],
    contexts: [{ name: ctx, context: { cluster: `${ctx}-cluster`, user: `${ctx}-user` } }],
    'current-context': ctx,
  };
  const path = join(dir, name);
  writeFileSync(path, stringify(kc), { mode: 0o600 });
  return path;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kubereach-live-'));
}

export interface RunResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function kr(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  const io = memoryIO('', { env });
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** The objects of manifest files, as the fake server stores them (apiVersion, kind, metadata...). */
export async function objectsOf(paths: readonly string[]): Promise<Obj[]> {
  const { sources } = await readInputs(paths, { stdin: () => chunksOf('') });
  const out: Obj[] = [];
  for (const s of sources) {
    for (const d of parseAllDocuments(s.text)) {
      const v = d.toJS() as Obj | null;
      if (v === null) continue;
      if (typeof v['kind'] === 'string' && v['kind'].endsWith('List') && Array.isArray(v['items'])) out.push(...(v['items'] as Obj[]));
      else out.push(v);
    }
  }
  return out;
}
