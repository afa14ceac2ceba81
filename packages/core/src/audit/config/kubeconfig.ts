/**
 * KUBECONFIG_PERMISSIONS: a kubeconfig that someone other than its owner can read or write, or that
 * belongs to another user than the one running the audit. The CLI stats the files; the core only sees
 * path, mode and owner, so a credential can never reach a finding. Location: null (the cause is the
 * file's metadata, not a position in its text).
 */
import type { Finding } from '../finding.js';
import { finding } from './make-finding.js';

/** What the CLI learns about one `--kubeconfig PATH` with stat(2). */
export interface KubeconfigFacts {
  readonly path: string;
  /** st_mode; only the permission bits (0o7777) are read. */
  readonly mode: number;
  /** Owner of the file. */
  readonly uid: number;
  /** The uid running the audit. */
  readonly currentUid: number;
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** `'path'` for a POSIX shell, so the fix can be pasted even when the path has spaces or quotes. */
function shellQuote(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

export function auditKubeconfig(k: KubeconfigFacts): Finding[] {
  const open = (k.mode & 0o077) !== 0;
  const foreign = k.uid !== k.currentUid;
  if (!open && !foreign) return [];
  const who: string[] = [];
  if ((k.mode & 0o070) !== 0) who.push('its group');
  if ((k.mode & 0o007) !== 0) who.push('every local user');
  const problems: string[] = [];
  if (open) problems.push(`${who.join(' and ')} can ${(k.mode & 0o066) !== 0 ? 'read or write' : 'access'} it`);
  if (foreign) problems.push(`it belongs to uid ${k.uid}, not to the user running the audit (uid ${k.currentUid})`);
  const fixes: string[] = [];
  if (foreign) fixes.push(`\`chown ${k.currentUid} ${shellQuote(k.path)}\` (or use a copy you own)`);
  if (open) fixes.push(`\`chmod 600 ${shellQuote(k.path)}\``);
  return [
    finding(
      'KUBECONFIG_PERMISSIONS',
      k.path,
      `The kubeconfig holds cluster credentials, but ${problems.join(', and ')}.`,
      `mode ${octal(k.mode)}, owner uid ${k.uid} (audit runs as uid ${k.currentUid})`,
      fixes.join(', then '),
      null,
    ),
  ];
}
