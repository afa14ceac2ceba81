/**
 * KUBECONFIG_PERMISSIONS: a kubeconfig that someone other than its owner can read or write, that
 * belongs to another user than the one running the audit, or that sits in a directory (anywhere up to
 * `/`) that others can write to or that another user owns, so they could replace it. The CLI stats the files; the core only sees
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
  /**
   * The directories holding the file, from its own up to `/` (absent: not checked). Whoever can
   * write to one of them can replace the kubeconfig, or a directory on its path, with their own.
   */
  readonly directories?: readonly DirectoryFacts[];
}

/** stat(2) of one directory on a kubeconfig's path. */
export interface DirectoryFacts {
  readonly path: string;
  /** st_mode; the permission bits and the sticky bit (0o1000) are read. */
  readonly mode: number;
  readonly uid: number;
}

/**
 * Why a directory on the path lets another user replace the file, or null. As OpenSSH's StrictModes
 * checks a key's path: each directory must belong to root or to the user, and not be writable by
 * group or others. A sticky directory (`/tmp`, mode 1777) is the exception: there only a file's owner
 * can rename or delete it.
 */
function unsafeDirectory(d: DirectoryFacts, currentUid: number): string | null {
  const writable = (d.mode & 0o022) !== 0 && (d.mode & 0o1000) === 0;
  const owner = d.uid !== 0 && d.uid !== currentUid;
  if (!writable && !owner) return null;
  const why: string[] = [];
  if (writable)
    why.push(
      `is writable by ${(d.mode & 0o020) !== 0 && (d.mode & 0o002) !== 0 ? 'its group and every local user' : (d.mode & 0o002) !== 0 ? 'every local user' : 'its group'} (mode ${octal(d.mode)})`,
    );
  if (owner) why.push(`belongs to uid ${d.uid}`);
  return `directory ${d.path} ${why.join(' and ')}`;
}

function octal(mode: number): string {
  return `${(mode & 0o7777).toString(8).padStart(4, '0')}`;
}

/** `'path'` for a POSIX shell, so the fix can be pasted even when the path has spaces or quotes. */
function shellQuote(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

export function auditKubeconfig(k: KubeconfigFacts): Finding[] {
  const open = (k.mode & 0o077) !== 0;
  const foreign = k.uid !== k.currentUid;
  const unsafeDirs = (k.directories ?? []).map((d) => ({ d, why: unsafeDirectory(d, k.currentUid) })).filter((x) => x.why !== null);
  if (!open && !foreign && unsafeDirs.length === 0) return [];
  const who: string[] = [];
  if ((k.mode & 0o070) !== 0) who.push('its group');
  if ((k.mode & 0o007) !== 0) who.push('every local user');
  const problems: string[] = [];
  if (open) problems.push(`${who.join(' and ')} can ${(k.mode & 0o066) !== 0 ? 'read or write' : 'access'} it`);
  if (foreign) problems.push(`it belongs to uid ${k.uid}, not to the user running the audit (uid ${k.currentUid})`);
  for (const { why } of unsafeDirs) problems.push(`${why}, so others can replace the file`);
  const fixes: string[] = [];
  if (foreign) fixes.push(`\`chown ${k.currentUid} ${shellQuote(k.path)}\` (or use a copy you own)`);
  if (open) fixes.push(`\`chmod 600 ${shellQuote(k.path)}\``);
  for (const { d } of unsafeDirs)
    fixes.push((d.mode & 0o022) !== 0 && (d.mode & 0o1000) === 0 ? `\`chmod go-w ${shellQuote(d.path)}\`` : `move the kubeconfig out of ${shellQuote(d.path)}`);
  return [
    finding(
      'KUBECONFIG_PERMISSIONS',
      k.path,
      `The kubeconfig holds cluster credentials, but ${problems.join(', and ')}.`,
      `mode ${octal(k.mode)}, owner uid ${k.uid} (audit runs as uid ${k.currentUid})${unsafeDirs.map(({ d }) => `; ${d.path}: mode ${octal(d.mode)}, owner uid ${d.uid}`).join('')}`,
      fixes.join(', then '),
      null,
    ),
  ];
}
