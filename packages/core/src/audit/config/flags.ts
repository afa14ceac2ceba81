/**
 * Command-line flags of control-plane components, read the way their flag libraries read them, and
 * the flag set every check works on (whether it came from a static pod or from kubeadm).
 *
 *   token                      reading
 *   --name=value / -name=value  name = value
 *   --name value               name = value, unless `name` is a known boolean flag or the next token
 *                              itself looks like a flag (pflag and Go's flag package never let a
 *                              boolean consume the next argument)
 *   --name                     name = "true"
 *   anything else              a positional argument (the binary, a subcommand): ignored
 *
 * The last occurrence of a flag wins, as with pflag for single-valued flags. A `sh -c "exec etcd
 * --flag=..."` command is split on whitespace so wrapped binaries are read too.
 */
import type { SourceLocation } from '../../diagnostics/diagnostic.js';

/** One effective flag value and where it was written. */
export interface FlagValue {
  readonly value: string;
  readonly location: SourceLocation;
  /** How the flag was given, for evidence: `--etcd-servers=http://...`, or `apiServer.extraArgs[...]`. */
  readonly origin: string;
}

/** Effective flags of one component; names without leading dashes. */
export type FlagSet = ReadonlyMap<string, FlagValue>;

/** Boolean flags of the components we read, so that `--client-cert-auth` never eats the next token. */
const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'client-cert-auth',
  'peer-client-cert-auth',
  'auto-tls',
  'peer-auto-tls',
  'allow-privileged',
  'anonymous-auth',
  'enable-bootstrap-token-auth',
  'enable-aggregator-routing',
  'profiling',
  'leader-elect',
  'use-service-account-credentials',
  'experimental-initial-corrupt-check',
  'strict-reconfig-check',
  'enable-v2',
  'enable-pprof',
  'logtostderr',
  'alsologtostderr',
  'debug',
]);

const FLAG_TOKEN = /^--?[A-Za-z]/;

/** The argument vector a container runs: command then args, with `sh -c "..."` scripts split. */
export function containerArgv(command: readonly string[], args: readonly string[]): string[] {
  const all = [...command, ...args];
  const shell = all[0]?.split('/').pop();
  if ((shell === 'sh' || shell === 'bash') && all[1] === '-c' && all[2] !== undefined) {
    return [...all[2].split(/\s+/).filter((t) => t !== ''), ...all.slice(3)];
  }
  return all;
}

/** Reads flags from an argument vector; every value is attributed to `location`. */
export function parseFlags(argv: readonly string[], location: SourceLocation): Map<string, FlagValue> {
  const flags = new Map<string, FlagValue>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!FLAG_TOKEN.test(token)) continue;
    const body = token.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq >= 0) {
      const name = body.slice(0, eq);
      flags.set(name, { value: body.slice(eq + 1), location, origin: `--${body}` });
      continue;
    }
    const next = argv[i + 1];
    if (!BOOLEAN_FLAGS.has(body) && next !== undefined && !FLAG_TOKEN.test(next)) {
      flags.set(body, { value: next, location, origin: `--${body} ${next}` });
      i++;
    } else {
      flags.set(body, { value: 'true', location, origin: `--${body}` });
    }
  }
  return flags;
}

/** Go's strconv.ParseBool; anything else (which the component would refuse) is null. */
export function parseGoBool(value: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return null;
}

/** A comma-separated URL list flag (`--listen-client-urls`), trimmed, empty entries dropped. */
export function urlList(value: string): string[] {
  return value
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
}

/** True for a URL that is not TLS: http:// (and unix sockets are out of scope). */
export function isPlaintextUrl(url: string): boolean {
  return /^http:\/\//i.test(url);
}
