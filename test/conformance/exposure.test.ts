/**
 * Conformance with np-guard's netpol-analyzer exposure analysis (`list --exposure`): the connlist
 * cases of the shared conformance data, netpol-analyzer/cases.json with `exposureAnalysis` and no other
 * option (but `supportedOnLiveCluster`). kubereach's `matrix --exposure` text (its matrix, then the
 * exposure section in their shape) is compared with the expected txt as a set of facts:
 *
 * - the connectivity lines, with the normalisations of connlist.test.ts (IPv6 ranges dropped,
 *   `{ingress-controller}` lines dropped, `ns/D-<hash>[ReplicaSet]` read as `ns/D[Deployment]`,
 *   external ranges coalesced, `W => W` replica lines dropped);
 * - each exposure line `PEER => TO : CONNS` (egress) or `PEER <= FROM : CONNS` (ingress): the column
 *   padding is presentation; the representative peer text must be equal; CONNS are compared as sets
 *   (named ports as names); external ranges coalesced per peer and direction; IPv6 ranges dropped;
 * - each "is not protected on" line.
 *
 * Cases with admin-tier policies (AdminNetworkPolicy / BaselineAdminNetworkPolicy) are compared like
 * the others. The one case whose only expected output is a DOT graph is compared on what DOT says:
 * solid edges are connectivity lines, dashed edges exposure lines (see dotFacts). Every case must
 * agree exactly: there is no known-differences list for this suite, so a difference fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, exposure, exposureText, loadCluster, matrix, matrixLine } from '@kubereach/core';
import { canonicalConn, coalesceExternal, isIPv6External, parseListing, type ConnLine } from './connlist-lines.js';
import { BASE, inputFiles } from './shared-data.js';
import { inputKinds, rawObjects, replicaSetRenames } from './workload-names.js';

interface CaseEntry {
  readonly testDirName: string;
  readonly inputDir: string;
  readonly expectedOutputFiles: readonly string[];
  readonly [option: string]: unknown;
}

const FOCUS_KEYS = new Set(['focusWorkloads', 'focusDirection', 'focusConn']);
const PLAIN = new Set(['testDirName', 'inputDir', 'outputFormats', 'expectedOutputFiles', 'exposureAnalysis', 'supportedOnLiveCluster']);
const all = (JSON.parse(readFileSync(join(BASE, 'cases.json'), 'utf8')) as { connlist: CaseEntry[] }).connlist.filter((c) => c.exposureAnalysis === true);
const cases = all.filter((c) => Object.keys(c).every((k) => PLAIN.has(k)));
/** The cases with focus options, compared as a projection of the unfocused output (see projectSection). */
const focusCases = all.filter((c) => !cases.includes(c) && Object.keys(c).every((k) => PLAIN.has(k) || FOCUS_KEYS.has(k)));
const withOptions = all.length - cases.length - focusCases.length;

/** Connection text with named ports: numbers canonical as in connlist-lines, names sorted after them. */
function canonicalExposureConn(text: string, where: string): string {
  if (text === 'All Connections' || text === 'No Connections') return text;
  const names: string[] = [];
  const nums: string[] = [];
  let proto = '';
  for (const tok of text.split(',')) {
    let rest = tok.trim();
    const sp = rest.indexOf(' ');
    if (sp >= 0) {
      proto = rest.slice(0, sp);
      rest = rest.slice(sp + 1);
    }
    if (/^\d/.test(rest)) nums.push(`${proto} ${rest}`);
    else names.push(`${proto}/${rest}`);
  }
  const base = nums.length === 0 ? '' : canonicalConn(nums.join(','), where);
  return [base, ...names.sort()].filter((x) => x !== '').join(' + ');
}

interface Section {
  readonly conn: ConnLine[];
  readonly egress: ConnLine[];
  readonly ingress: ConnLine[];
  readonly unprotected: string[];
}

const EXP_LINE = /^(\S+)\s+\t(=>|<=) \t(.+?) : ([^:]+)$/;

/** Splits a `list --exposure` text into its connlist part and its exposure facts. */
function parseExposureText(text: string, what: string): Section {
  const at = text.indexOf('Exposure Analysis Result:');
  if (at < 0) throw new Error(`${what}: no exposure section`);
  const conn = parseListing(text.slice(0, at), what);
  const egress: ConnLine[] = [];
  const ingress: ConnLine[] = [];
  const unprotected: string[] = [];
  let part = '';
  for (const raw of text.slice(at).split('\n').slice(1)) {
    const line = raw.trimEnd();
    if (line === '') continue;
    if (line === 'Egress Exposure:' || line === 'Ingress Exposure:' || line === 'Workloads not protected by network policies:') {
      part = line;
      continue;
    }
    if (part === 'Workloads not protected by network policies:') {
      unprotected.push(line);
      continue;
    }
    const m = EXP_LINE.exec(line);
    if (m === null) throw new Error(`${what}: not an exposure line: ${JSON.stringify(line)}`);
    const c = canonicalExposureConn(m[4]!, what);
    if (m[2] === '=>') egress.push({ src: m[1]!, dst: m[3]!, conn: c });
    else ingress.push({ src: m[3]!, dst: m[1]!, conn: c });
  }
  return { conn, egress, ingress, unprotected };
}

/** Facts as text: `C a => b : x`, `E a => b : x`, `I b <= a : x`, `U ...`. */
function facts(s: Section, rename: (id: string) => string, drop: { ingressController: boolean }): Set<string> {
  const r = (l: ConnLine): ConnLine => ({ src: rename(l.src), dst: rename(l.dst), conn: l.conn });
  const keep = (l: ConnLine) =>
    !isIPv6External(l.src) && !isIPv6External(l.dst) && l.src !== l.dst && !(drop.ingressController && l.src === '{ingress-controller}');
  const out = new Set<string>();
  for (const l of coalesceExternal(s.conn.filter(keep).map(r), 'conn')) out.add(`C ${l.src} => ${l.dst} : ${l.conn}`);
  for (const l of coalesceExternal(s.egress.filter(keep).map(r), 'egress')) out.add(`E ${l.src} => ${l.dst} : ${l.conn}`);
  for (const l of coalesceExternal(s.ingress.filter(keep).map(r), 'ingress')) out.add(`I ${l.dst} <= ${l.src} : ${l.conn}`);
  for (const u of s.unprotected) {
    const [id, ...rest] = u.split(' ');
    out.add(`U ${rename(id!)} ${rest.join(' ')}`);
  }
  return out;
}

const DOT_EDGE = /^\s*"([^"]+)" -> "([^"]+)" \[label="([^"]*)"[^\]]*?\]\s*$/;

/**
 * Facts of a DOT expected output (the one case that has no text output): a solid edge is a
 * connectivity line, a dashed edge with `entire-cluster` or a representative at one end an exposure
 * line. DOT carries no "not protected" lines and no exposure lines to addresses (those edges are the
 * solid ones), so the facts compared are those two kinds only, on both sides.
 */
function dotFacts(text: string, what: string, rename: (id: string) => string): Set<string> {
  const conn: ConnLine[] = [];
  const egress: ConnLine[] = [];
  const ingress: ConnLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes(' -> ')) continue;
    const m = DOT_EDGE.exec(line);
    if (m === null) throw new Error(`${what}: not a DOT edge: ${JSON.stringify(line)}`);
    const [, src, dst, label] = m as unknown as [string, string, string, string];
    if (!line.includes('style=dashed')) conn.push({ src, dst, conn: canonicalConn(label, what) });
    else if (isPeer(dst)) egress.push({ src, dst, conn: canonicalExposureConn(label, what) });
    else if (isPeer(src)) ingress.push({ src, dst, conn: canonicalExposureConn(label, what) });
    else throw new Error(`${what}: a dashed edge between two endpoints: ${JSON.stringify(line)}`);
  }
  return facts({ conn, egress, ingress, unprotected: [] }, rename, { ingressController: true });
}

/** `entire-cluster` or a representative (`ns/[pod with {...}]`, `[namespace with {...}]/[all pods]`). */
function isPeer(id: string): boolean {
  return id === 'entire-cluster' || id.includes('/[');
}

/** Our facts restricted to what a DOT output can say: no U lines, no exposure lines to addresses. */
function dotComparable(s: Set<string>): Set<string> {
  return new Set([...s].filter((f) => f.startsWith('C ') || ((f.startsWith('E ') || f.startsWith('I ')) && !f.includes('[External]'))));
}

/**
 * netpol-analyzer's focus options, as a projection of kubereach's unfocused output (kubereach has no
 * focus flags: the same facts are in its full listing):
 * - `focusWorkloads`: the lines with a focus workload at one end (a name, or `ns/name`; a ReplicaSet
 *   name through the runner's ReplicaSet -> Deployment renames), and its "not protected" lines;
 * - `focusDirection`: egress keeps the lines it is the source of (and egress exposure), ingress the
 *   ones it is the destination of;
 * - `focusConn` (`udp-52`): the lines whose connections include that port, written as just that port
 *   (their listing drops the connection column; the runner puts ` : UDP 52` back on both sides); a
 *   representative line then equal to its endpoint's entire-cluster line is dropped, the rule of the
 *   unfocused listing applied to the focused connection.
 */
interface Focus {
  readonly workloads: readonly string[] | null;
  readonly direction: 'ingress' | 'egress' | null;
  readonly conn: { readonly protocol: string; readonly port: number } | null;
}

function focusOf(c: CaseEntry): Focus {
  const w = c['focusWorkloads'];
  const d = c['focusDirection'];
  const fc = c['focusConn'];
  let conn: Focus['conn'] = null;
  if (typeof fc === 'string') {
    const m = /^(tcp|udp|sctp)-(\d+)$/i.exec(fc);
    if (m === null) throw new Error(`${c.testDirName}: focusConn ${fc}`);
    conn = { protocol: m[1]!.toUpperCase(), port: Number(m[2]) };
  }
  return { workloads: Array.isArray(w) ? (w as string[]) : null, direction: d === 'ingress' || d === 'egress' ? d : null, conn };
}

/** Whether an id (ours, or theirs after renames) is a focus workload. */
function focused(id: string, names: readonly string[], renames: ReadonlyMap<string, string>): boolean {
  const m = /^([^/]*)\/([^[]*)\[/.exec(id);
  if (m === null) return false;
  const nameMatch = (ns: string, name: string) => names.some((f) => f === name || f === `${ns}/${name}`);
  if (nameMatch(m[1]!, m[2]!)) return true;
  for (const [k, v] of renames) {
    if (v !== id) continue;
    const km = /^([^/]*)\/([^[]*)\[/.exec(k);
    if (km !== null && nameMatch(km[1]!, km[2]!)) return true;
  }
  return false;
}

/** Whether a canonical connection text admits PROTO PORT (a named port never does: its number is unknown). */
function connHas(text: string, protocol: string, port: number): boolean {
  if (text === 'All Connections') return true;
  let proto = '';
  for (const tok of text.split(' + ')[0]!.split(',')) {
    let rest = tok.trim();
    const sp = rest.indexOf(' ');
    if (sp >= 0) {
      proto = rest.slice(0, sp);
      rest = rest.slice(sp + 1);
    }
    const m = /^(\d+)(?:-(\d+))?$/.exec(rest);
    if (m === null || proto !== protocol) continue;
    if (port >= Number(m[1]) && port <= Number(m[2] ?? m[1])) return true;
  }
  return false;
}

function projectSection(s: Section, f: Focus, renames: ReadonlyMap<string, string>): Section {
  const inF = (id: string) => f.workloads === null || focused(id, f.workloads, renames);
  const onConn = (l: ConnLine): ConnLine[] =>
    f.conn === null ? [l] : connHas(l.conn, f.conn.protocol, f.conn.port) ? [{ ...l, conn: `${f.conn.protocol} ${f.conn.port}` }] : [];
  const conn = s.conn.filter((l) => (f.direction !== 'ingress' && inF(l.src)) || (f.direction !== 'egress' && inF(l.dst))).flatMap(onConn);
  // the rule of the unfocused listing, applied to the focused connection: a representative line equal
  // to the endpoint's entire-cluster line is not printed (lines are src -> dst: egress endpoint at src,
  // ingress endpoint at dst)
  const dedup = (ls: ConnLine[], endpoint: (l: ConnLine) => string, peer: (l: ConnLine) => string) => {
    const wide = new Map(ls.filter((l) => peer(l) === 'entire-cluster').map((l) => [endpoint(l), l.conn]));
    return ls.filter((l) => peer(l) === 'entire-cluster' || !peer(l).includes('/[') || wide.get(endpoint(l)) !== l.conn);
  };
  const egress =
    f.direction === 'ingress'
      ? []
      : dedup(
          s.egress.filter((l) => inF(l.src)).flatMap(onConn),
          (l) => l.src,
          (l) => l.dst,
        );
  const ingress =
    f.direction === 'egress'
      ? []
      : dedup(
          s.ingress.filter((l) => inF(l.dst)).flatMap(onConn),
          (l) => l.dst,
          (l) => l.src,
        );
  const unprotected =
    f.conn !== null
      ? []
      : s.unprotected.filter((u) => inF(u.split(' ')[0]!) && (f.direction === null || u.endsWith(f.direction === 'egress' ? 'on Egress' : 'on Ingress')));
  return { conn, egress, ingress, unprotected };
}

/** Their focusConn listing in the ordinary shape: headers as without focus, ` : PROTO PORT` on every line. */
function unfocusConnText(text: string, f: Focus): string {
  if (f.conn === null) return text;
  const p = `${f.conn.protocol} ${f.conn.port}`;
  return text
    .split('\n')
    .filter((l) => l !== `Permitted connections on ${p}:`)
    .map((l) =>
      l === `Exposure Analysis Result On ${p}:`
        ? 'Exposure Analysis Result:'
        : / => |\t=> \t|\t<= \t/.test(l) && !l.includes(' : ')
          ? `${l.trimEnd()} : ${p}`
          : l,
    )
    .join('\n');
}

const minus = (a: Set<string>, b: Set<string>) => [...a].filter((x) => !b.has(x)).sort();
const outcomes = new Map<string, 'agree'>();
const skipped = new Map<string, string>();

function evaluate(c: CaseEntry): { ours: Set<string>; theirs: Set<string>; skip?: string } {
  const files = inputFiles(join(BASE, c.inputDir));
  const objects = rawObjects(files);
  const kinds = inputKinds(objects);
  const { cluster } = loadCluster(files);
  const index = compile(cluster, { ipblockPods: 'ignore' });
  const ourText = `${matrix(index).map(matrixLine).join('\n')}\n\n${exposureText(exposure(index))}`;
  const txt = c.expectedOutputFiles.find((f) => f.endsWith('.txt'));
  if (txt === undefined) {
    const dot = c.expectedOutputFiles.find((f) => f.endsWith('.dot'));
    if (dot === undefined) return { ours: new Set(), theirs: new Set(), skip: 'no text or DOT expected output' };
    const renames = replicaSetRenames(objects);
    const theirs = dotFacts(readFileSync(join(BASE, dot), 'utf8'), dot, (id) => renames.get(id) ?? id);
    const ours = dotComparable(facts(parseExposureText(ourText, `${c.testDirName} (kubereach)`), (id) => id, { ingressController: true }));
    return { ours, theirs };
  }
  const focus = focusOf(c);
  const theirsSection = parseExposureText(unfocusConnText(readFileSync(join(BASE, txt), 'utf8'), focus), txt);
  const hasIngress = kinds.has('Ingress') || kinds.has('Route');
  if (!hasIngress && theirsSection.conn.some((l) => l.src === '{ingress-controller}'))
    throw new Error(`${c.testDirName}: {ingress-controller} lines without an Ingress or Route`);
  const renames = replicaSetRenames(objects);
  const theirs = facts(theirsSection, (id) => renames.get(id) ?? id, { ingressController: true });
  const ours = facts(projectSection(parseExposureText(ourText, `${c.testDirName} (kubereach)`), focus, renames), (id) => id, { ingressController: true });
  return { ours, theirs };
}

describe('netpol-analyzer exposure conformance', () => {
  it('notices a changed answer: exposure_test_conn_to_all_pods_in_a_new_ns with another port differs', () => {
    const c = cases.find((x) => x.testDirName === 'exposure_test_conn_to_all_pods_in_a_new_ns')!;
    const { ours, theirs } = evaluate(c);
    expect(minus(ours, theirs)).toEqual([]);
    const txt = c.expectedOutputFiles.find((f) => f.endsWith('.txt'))!;
    const altered = facts(parseExposureText(readFileSync(join(BASE, txt), 'utf8').replace('TCP 8050', 'TCP 8051'), txt), (id) => id, {
      ingressController: true,
    });
    expect(minus(ours, altered).length).toBeGreaterThan(0);
  });

  it('notices a changed answer in an admin-tier case and in the DOT-only case', () => {
    const anp = cases.find((x) => x.testDirName === 'exposure_test_with_anp_15')!;
    const a = evaluate(anp);
    expect([a.skip, minus(a.ours, a.theirs), minus(a.theirs, a.ours)]).toEqual([undefined, [], []]);
    const txt = anp.expectedOutputFiles.find((f) => f.endsWith('.txt'))!;
    const altered = facts(parseExposureText(readFileSync(join(BASE, txt), 'utf8').replace('UDP 53,58', 'UDP 58'), txt), (id) => id, {
      ingressController: true,
    });
    expect(minus(a.ours, altered)).toEqual(['E hello-world/workload-a[Deployment] => new-ns/[pod with {app=new-app}] : UDP 53,58']);
    const dotCase = cases.find((x) => x.testDirName === 'exposure_test_minimal_netpol_analysis')!;
    const d = evaluate(dotCase);
    expect(d.theirs.size).toBe(6);
    expect([d.skip, minus(d.ours, d.theirs), minus(d.theirs, d.ours)]).toEqual([undefined, [], []]);
    const dot = dotCase.expectedOutputFiles[0]!;
    const alteredDot = dotFacts(
      readFileSync(join(BASE, dot), 'utf8').replace(
        '"entire-cluster" -> "default/backend[Deployment]" [label="TCP 9090"',
        '"entire-cluster" -> "default/backend[Deployment]" [label="TCP 9091"',
      ),
      dot,
      (id) => id,
    );
    expect(minus(d.ours, alteredDot)).toEqual(['I default/backend[Deployment] <= entire-cluster : TCP 9090']);
  });

  it('finds the exposure cases', () => {
    expect(all.length).toBe(90);
    expect(cases.length).toBe(77);
    expect(focusCases.length).toBe(13);
  });

  const focusName = (c: CaseEntry) => `${c.testDirName} focus ${JSON.stringify(focusOf(c))}`;
  for (const c of focusCases) {
    it(focusName(c), () => {
      const { ours, theirs, skip } = evaluate(c);
      expect(skip).toBeUndefined();
      expect(theirs.size).toBeGreaterThan(0);
      expect({ onlyOurs: minus(ours, theirs), onlyTheirs: minus(theirs, ours) }).toEqual({ onlyOurs: [], onlyTheirs: [] });
      outcomes.set(focusName(c), 'agree');
    });
  }

  for (const c of cases) {
    it(c.testDirName, () => {
      const { ours, theirs, skip } = evaluate(c);
      if (skip !== undefined) {
        skipped.set(c.testDirName, skip);
        return;
      }
      expect(theirs.size).toBeGreaterThan(0);
      expect({ onlyOurs: minus(ours, theirs), onlyTheirs: minus(theirs, ours) }).toEqual({ onlyOurs: [], onlyTheirs: [] });
      outcomes.set(c.testDirName, 'agree');
    });
  }

  afterAll(() => {
    const reasons = new Map<string, number>();
    for (const r of skipped.values()) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    console.log(
      `exposure conformance: ${outcomes.size} agree, ${cases.length + focusCases.length - outcomes.size - skipped.size} differ, ${skipped.size} not compared (${[...reasons].map(([r, n]) => `${n}: ${r}`).join('; ')}), of ${cases.length} cases without other options and ${focusCases.length} with focus options (a projection of the unfocused output); ${withOptions} cases with other options not run`,
    );
  });
});
