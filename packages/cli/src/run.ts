/**
 * The kubereach command: `run(argv, io)` parses arguments, runs one command and returns its exit code.
 * Exit codes across the CLI: 0 success / yes / no findings, 1 a negative answer or findings,
 * 2 bad input or usage, 3 an internal error (a bug: please report it).
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { capValue, escapeControl, SEVERITIES } from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from './io.js';
import { completionScript, SHELLS, type Shell } from './commands/completion.js';
import { canCommand, type CanFlags } from './commands/can.js';
import { matrixCommand, type MatrixFlags } from './commands/matrix.js';
import { MATRIX_FORMATS } from './format/matrix.js';
import { auditCommand, type AuditFlags } from './commands/audit.js';
import { AUDIT_FORMATS } from './format/findings.js';
import { whoCanReachCommand, type WhoFlags } from './commands/who-can-reach.js';
import { pathsCommand, type PathsFlags } from './commands/paths.js';
import { statsCommand, type StatsFlags } from './commands/stats.js';
import { exposureCommand, type ExposureFlags } from './commands/exposure.js';
import { lintCommand, type LintFlags } from './commands/lint.js';
import { assertCommand, type AssertFlags } from './commands/assert.js';
import { ASSERT_FORMATS } from './format/assert.js';
import { REPORT_FORMATS } from './commands/report.js';
import { generateCommand, type GenerateFlags } from './commands/generate.js';
import { fixCommand, type FixFlags } from './commands/fix.js';

import { VERSION } from './version.js';
export { VERSION };

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The input flags every analysing command takes. */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('-f, --filename <path>', 'manifests: a file, a folder (recursive .yaml/.yml/.json) or - for stdin; repeatable', collect)
    .option('-n, --namespace <ns>', 'namespace for objects that name none (default: default); with --live, read only this namespace')
    .option('--live', 'read the cluster of the current kubeconfig context (beside or instead of -f)')
    .option(
      '--kubeconfig <path>',
      'kubeconfig file (repeatable, merged; default: $KUBECONFIG, else ~/.kube/config); the audit checks the permissions of the files used; contents are never printed',
      collect,
    )
    .option('--context <name>', 'with --live: the kubeconfig context to read instead of the current one')
    .option('-A, --all-namespaces', 'with --live: read every namespace (the default unless -n is given)')
    .option('--ignore-invalid', 'leave invalid objects out with a warning (listed in every output) instead of failing with exit code 2')
    .option('--strict', 'fail (exit 2) when the input holds policy kinds kubereach does not model (Calico, Cilium, Antrea, Istio, ...) instead of warning')
    .option('--allow-empty', 'accept input with no objects, or with policies but no pods or workloads (answers are then vacuous)')
    .option(
      '--staged',
      'evaluate Calico staged policies (StagedNetworkPolicy, StagedGlobalNetworkPolicy) as if they were enforced; with diff and one input: what enforcing them would change',
    )
    .addOption(
      new Option(
        '--ipblock-pods <mode>',
        "whether ipBlocks also match pod IPs the input knows (match, as the upstream e2e suite) or only external addresses (ignore); default: the CNI profile's (match, but ignore under cilium)",
      ).choices(['match', 'ignore']),
    )
    .addOption(
      new Option(
        '--cni <name>',
        'the CNI whose choices apply (ipBlocks on pod and node IPs, host-network pods, entities); default: detected from the input',
      ).choices(['generic', 'cilium', 'calico']),
    )
    .option('--dns <file>', 'DNS map for Cilium toFQDNs rules: lines `NAME IP [IP...]`, # comments')
    .option('--resolve <name=ip>', 'one DNS answer for Cilium toFQDNs rules, NAME=IP[,IP...]; repeatable', collect)
    .option('-v, --verbose', 'list what was loaded, including kinds that are not modelled');
}

/** Sets a command's exit code; each command's action reports it through this. */
type SetCode = (code: number) => void;

/** `-o, --output <format>` with its choices and default. */
function outputOption(choices: readonly string[], fallback: string, description = 'output format'): Option {
  return new Option('-o, --output <format>', description).choices([...choices]).default(fallback);
}

/** `--fail-on <severity>`, shared by the commands that print findings. */
function failOnOption(): Option {
  return new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity exists').choices([...SEVERITIES]).default('high');
}

/** The flags that name the well-known targets (metadata, control plane) beside the input flags. */
function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--metadata-ip <ip>', 'another cloud metadata address (repeatable; 169.254.169.254, fd00:ec2::254 and 100.100.100.200 are built in)', collect)
    .option('--control-plane-ip <ip>', 'a control-plane address (repeatable; added to those found on Node objects and static pods)', collect)
    .addOption(
      new Option('--cloud <provider>', "only this cloud's metadata addresses (default: every known one)").choices([
        'aws',
        'gcp',
        'azure',
        'alibaba',
        'openstack',
      ]),
    );
}

/** The root command: name, description, version, and output through `io`. */
function rootCommand(io: CliIO): Command {
  return new Command('kubereach')
    .description(
      'What can talk to what in a Kubernetes cluster, and why.\n\n' +
        'Reads manifests (files, folders, Helm output, `kubectl get -o yaml` dumps), simulates NetworkPolicies ' +
        'and the cluster-scoped admin tiers exactly, and answers reachability questions with the rules that decide them.',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
}

/** The point and whole-cluster queries: can, matrix. */
function addQueryCommands(program: Command, io: CliIO, setCode: SetCode): void {
  addInputOptions(
    program
      .command('can')
      .description(
        'can SRC reach DST? Prints yes or no (partly, for a Service some of whose backends are reachable) on the first line; exit 0 yes, 1 no or partly, 2 bad input',
      )
      .argument('<src>', 'NAMESPACE/NAME, NAMESPACE/NAME[Kind], or an IPv4/IPv6 address')
      .argument(
        '<dst>',
        'NAMESPACE/NAME, NAMESPACE/NAME[Kind], an IPv4/IPv6 address, or a Service: svc/NAME (namespace from -n), NAMESPACE/NAME[Service] or its ClusterIP',
      )
      .option(
        '-p, --port <port>',
        "PORT[/PROTO]: a number or a named port of DST (of a Service: its port number or name, mapped to each backend's targetPort); protocol TCP (default), UDP or SCTP",
      )
      .addOption(outputOption(['text', 'json'], 'text'))
      .option('--explain', 'show, per direction, the policies that select each side and the rule that decided'),
  ).action(async (src: string, dst: string, flags: CanFlags) => setCode(await canCommand(src, dst, flags, io)));

  addInputOptions(
    program
      .command('matrix')
      .description('every ordered pair with something allowed, as `SRC => DST : CONNS`')
      .addOption(outputOption(MATRIX_FORMATS, 'text'))
      .option('--no-external', 'leave out external address ranges')
      .option(
        '--exposure',
        "add what the policies admit beyond the input: pods and namespaces that do not exist yet (entire-cluster, [namespace with {...}]/[pod with {...}]), in netpol-analyzer's shape; -o text or json",
      )
      .option(
        '--services',
        'add Service rows after the matrix: SRC => ns/name[Service] : the Service ports through which SRC reaches its backends (each on its own targetPort), "partly: ..." when only some; -o text, json or md',
      )
      .addOption(
        new Option('--endpoints <kind>', 'one line per workload, or per pod (ns/pod[Pod], as network-config-analyzer prints)')
          .choices(['workloads', 'pods'])
          .default('workloads'),
      ),
  ).action(async (flags: MatrixFlags) => setCode(await matrixCommand(flags, io)));
}

/** The commands that print findings (audit, lint) and check or change policies (assert, fix, generate). */
function addFindingCommands(program: Command, io: CliIO, setCode: SetCode): void {
  addInputOptions(
    addTargetOptions(
      program
        .command('audit')
        .description('findings proved from the reachability index (metadata, control plane, default deny, lateral paths) and from the configuration')
        .addOption(outputOption(AUDIT_FORMATS, 'text'))
        .addOption(failOnOption()),
    ),
  ).action(async (flags: AuditFlags) => setCode(await auditCommand(flags, io)));

  addInputOptions(
    program
      .command('lint')
      .description('policy-authoring mistakes proved from the reachability index (selectors matching nothing, redundant or shadowed rules, blocked DNS, ...)')
      .addOption(outputOption(AUDIT_FORMATS, 'text'))
      .addOption(failOnOption()),
  ).action(async (flags: LintFlags) => setCode(await lintCommand(flags, io)));

  addInputOptions(
    addTargetOptions(
      program
        .command('assert')
        .description('check allow/deny expectations (a YAML file) against the manifests; exit 0 all hold, 1 some fail, 2 bad input')
        .argument('<expectations>', 'the expectations file (allow: and deny: lists of {from, to, port?, reason?}), or - for stdin')
        .addOption(outputOption(ASSERT_FORMATS, 'text', 'output format (junit: one test case per expectation)')),
    ),
  ).action(async (file: string, flags: AssertFlags) => setCode(await assertCommand(file, flags, io)));

  addInputOptions(
    addTargetOptions(
      program
        .command('fix')
        .description(
          'policies that close network findings (METADATA_REACHABLE, CONTROL_PLANE_REACHABLE, NAMESPACE_NO_DEFAULT_DENY_INGRESS/EGRESS, LATERAL_PATH) keeping every other connection, verified by auditing and diffing the input with them added; exit 0 all closed, 1 not, 2 bad input',
        )
        .argument('[finding-id...]', 'finding ids to fix (default: all that fix handles)')
        .addOption(outputOption(['yaml', 'json', 'patch'], 'yaml', 'output format (patch: a git patch creating kubereach-fix.yaml in the first -f folder)'))
        .option('--keep <flows>', 'keep only these flows (CSV src,dst,conn as matrix -o csv writes, or JSON) instead of every connection allowed today')
        .addOption(
          new Option('--tier <tier>', 'networkpolicy: NetworkPolicies (default); admin: one ClusterNetworkPolicy with Admin-tier Deny rules')
            .choices(['networkpolicy', 'admin'])
            .default('networkpolicy'),
        ),
    ),
  ).action(async (ids: string[], flags: FixFlags) => setCode(await fixCommand(ids, flags, io)));

  addInputOptions(
    program
      .command('generate')
      .description(
        'least-privilege NetworkPolicies from the current matrix or a flows file, verified by re-running the engine on the input with them applied; exit 0 verified, 1 not, 2 bad input',
      )
      .option('--from <source>', "current (freeze today's reachability) or a flows file: CSV src,dst,conn (as matrix -o csv writes) or JSON", 'current')
      .addOption(outputOption(['yaml'], 'yaml')),
  ).action(async (flags: GenerateFlags) => setCode(await generateCommand(flags, io)));
}

/** Who reaches a target, and lateral paths to it: who-can-reach, paths. */
function addReachCommands(program: Command, io: CliIO, setCode: SetCode): void {
  addInputOptions(
    addTargetOptions(
      program
        .command('who-can-reach')
        .description('every endpoint (or external range) that can reach TARGET; exit 0 when some can, 1 when none')
        .argument(
          '<target>',
          'NAMESPACE/NAME[Kind], a Service (svc/NAME, NAMESPACE/NAME[Service], its ClusterIP), an IP address, or one of: metadata, control-plane, etcd, kubelet',
        )
        .option('-p, --port <port>', 'PORT[/PROTO]: only this port (of a Service: its port number or name)')
        .addOption(outputOption(['text', 'json'], 'text'))
        .addOption(
          new Option('--endpoints <kind>', 'one source line per workload, or per pod (ns/pod[Pod], as matrix --endpoints pods)')
            .choices(['workloads', 'pods'])
            .default('workloads'),
        ),
    ),
  ).action(async (target: string, flags: WhoFlags) => setCode(await whoCanReachCommand(target, flags, io)));

  addInputOptions(
    addTargetOptions(
      program
        .command('paths')
        .description('shortest chains of allowed hops from SRC to TARGET (lateral movement); exit 0 when a path exists, 1 when none')
        .argument('<src>', 'NAMESPACE/NAME or NAMESPACE/NAME[Kind]')
        .argument('<target>', 'NAMESPACE/NAME[Kind], an IP address, or one of: metadata, control-plane, etcd, kubelet')
        .option('--max-hops <n>', 'longest chain to look for', '6')
        .option('-p, --port <port>', 'PORT[/PROTO]: every hop on this port (default: any port)')
        .addOption(outputOption(['text', 'json'], 'text')),
    ),
  ).action(async (src: string, target: string, flags: PathsFlags) => setCode(await pathsCommand(src, target, flags, io)));
}

/** The whole-picture views: report, exposure, stats. */
function addViewCommands(program: Command, io: CliIO, setCode: SetCode): void {
  addInputOptions(
    addTargetOptions(
      program
        .command('report')
        .description('the whole picture in one self-contained HTML page (graph, findings, matrix, stats; opens from file://), or its data as JSON')
        .addOption(outputOption(REPORT_FORMATS, 'html'))
        .option('--title <text>', 'the page title', 'kubereach report')
        .option('--max-edges <n>', 'refuse (exit 2) a report with more edges than this', '500000'),
    ),
  ).action(async (flags: import('./commands/report.js').ReportFlags) => {
    const { reportCommand } = await import('./commands/report.js');
    setCode(await reportCommand(flags, io));
  });

  addInputOptions(
    program
      .command('exposure')
      .description(
        'every workload reachable from outside the cluster (NodePort/LoadBalancer Services, Ingresses, Gateways with HTTP/GRPC/TLS Routes): the entry, the path, and whether NetworkPolicies on the way admit it',
      )
      .addOption(outputOption(['text', 'json', 'md'], 'text'))
      .option(
        '--ingress-controller <ref>',
        'the ingress controller or gateway pods (NAMESPACE/NAME[Kind]), when their labels do not say so; repeatable',
        collect,
      ),
  ).action(async (flags: ExposureFlags) => setCode(await exposureCommand(flags, io)));

  addInputOptions(
    program
      .command('stats')
      .description('counts (pods, workloads, classes, policies, atoms, allowed pairs: an isolation score) and per-stage timings')
      .addOption(outputOption(['text', 'json'], 'text')),
  ).action(async (flags: StatsFlags) => setCode(await statsCommand(flags, io)));
}

/** Change over time: diff, snapshot, watch. */
function addChangeCommands(program: Command, io: CliIO, setCode: SetCode): void {
  addInputOptions(
    program
      .command('diff')
      .description('what a change opens or closes: every ordered pair whose connections differ; exit 0 no change, 1 changes, 2 bad input')
      .argument('[before]', 'the old manifests: a file, a folder or - (read like -f)')
      .argument('[after]', 'the new manifests: a file, a folder or -')
      .option('--base <gitref>', 'compare the -f paths (default .) at this git ref against the working tree')
      .option('--head <gitref>', 'with --base: compare against this git ref instead of the working tree')
      .addOption(
        outputOption(
          ['text', 'json', 'md', 'html'],
          'text',
          'output format (md: a pull-request comment, sensitive targets first; html: the report page with added edges green, removed red, changed amber)',
        ),
      )
      .option('--explain', 'list, for each changed pair, the policy and workload edits (with file:line) that can cause it')
      .option('--max-edges <n>', 'with -o html: refuse (exit 2) a page with more edges than this', '500000')
      .addOption(
        new Option('--endpoints <kind>', 'one line per pair of workloads, or of pods (ns/pod[Pod], as matrix --endpoints pods)')
          .choices(['workloads', 'pods'])
          .default('workloads'),
      )
      .addOption(
        new Option('--fail-on-new <kind>', 'exit 1 only when the change adds reachability to sensitive targets, or any').choices(['sensitive', 'any']),
      ),
  ).action(async (before: string | undefined, after: string | undefined, flags: import('./commands/diff.js').DiffFlags) => {
    const { diffCommand } = await import('./commands/diff.js');
    setCode(await diffCommand(before, after, flags, io));
  });

  addInputOptions(
    program
      .command('snapshot')
      .description('write the objects a live read lists as one `kind: List` (for -f later: offline analysis, tickets, diff against last week)')
      .option('-o, --output <path>', 'where: a .json, .yaml or .yml file (format by name), or - for JSON on stdout', '-'),
  ).action(async (flags: import('./commands/snapshot.js').SnapshotFlags) => {
    const { snapshotCommand } = await import('./commands/snapshot.js');
    setCode(await snapshotCommand(flags, io));
  });

  addInputOptions(
    addTargetOptions(
      program
        .command('watch')
        .description(
          'follow a live cluster (--live): print every reachability change as it happens, with the object that caused it, and audit findings that appear or clear',
        )
        .addOption(
          new Option('--on <what>', 'print events that change reachability or findings (any), or only findings (finding)')
            .choices(['any', 'finding'])
            .default('any'),
        )
        .addOption(outputOption(['text', 'json'], 'text', 'text, or json: one JSON object per line')),
    ),
  ).action(async (flags: import('./commands/watch.js').WatchFlags) => {
    const { watchCommand } = await import('./commands/watch.js');
    setCode(await watchCommand(flags, io));
  });
}

/** `completion`: a shell completion script generated from the program itself. */
function addCompletionCommand(program: Command, io: CliIO, setCode: SetCode): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, options and their choices): source <(kubereach completion bash)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action((shell: Shell) => {
      io.stdout(completionScript(program, shell));
      setCode(EXIT.ok);
    });
}

/** The examples and exit codes printed after the root help. */
function addExamples(program: Command): void {
  program.addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  kubereach can shop/web 169.254.169.254 -f manifests/        can the web pods reach the cloud metadata service?',
      '  kubereach can shop/web db/postgres --port 5432 --explain -f manifests/',
      '  helm template ./chart | kubereach matrix -f -',
      '  kubectl get ns,pods,netpol,nodes,svc -A -o yaml | kubereach matrix -f - -o csv',
      '  kubereach audit -f manifests/ -o sarif > kubereach.sarif',
      '  kubereach lint -f manifests/ -o sarif > lint.sarif',
      '  kubereach assert expectations.yaml -f manifests/ -o junit > assert.xml',
      '  kubereach report -f manifests/ -o html > report.html',
      '  kubereach generate --from current -f manifests/ | kubectl apply -f -',
      '  kubereach who-can-reach etcd -f manifests/',
      '  kubereach paths shop/web etcd -f manifests/',
      '  kubereach diff --base origin/main -f deploy/policies/ -o md --fail-on-new sensitive',
      '  kubereach audit --live --context prod                       the cluster of a kubeconfig context',
      '  kubereach snapshot --live -o cluster.json                    then: kubereach matrix -f cluster.json',
      '  kubereach watch --live -o json                               reachability changes as they happen',
      '',
      'Exit codes: 0 yes / success, 1 no / findings / changes, 2 bad input or usage, 3 internal error.',
    ].join('\n'),
  );
}

/** The whole command line: the root, every command (in the order help lists them) and the examples. */
export function buildProgram(io: CliIO, setCode: SetCode): Command {
  const program = rootCommand(io);
  addQueryCommands(program, io, setCode);
  addFindingCommands(program, io, setCode);
  addReachCommands(program, io, setCode);
  addViewCommands(program, io, setCode);
  addChangeCommands(program, io, setCode);
  addCompletionCommand(program, io, setCode);
  addExamples(program);
  return program;
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.badInput;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.badInput; // commander already printed the message
    }
    if (e instanceof UsageError) {
      // messages may quote names from the input: nothing in them may act on the terminal
      io.stderr(`kubereach: ${escapeControl(e.message, true)}\n`);
      return e.exitCode;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr(
      `kubereach: internal error: ${escapeControl(capValue(msg, 400), true)}\nThis is a bug in kubereach; please report it with the command and input that caused it (run with KUBEREACH_DEBUG=1 for a stack trace).\n`,
    );
    if (io.env['KUBEREACH_DEBUG'] && e instanceof Error) io.stderr(`${e.stack ?? ''}\n`);
    return 3;
  }
}
