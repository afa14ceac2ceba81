/**
 * Conformance with IBM network-config-analyzer's Calico suite (the shared conformance data, nca-calico, 47
 * cases; its README says how each expected file was made and where that analyzer departs from Calico).
 *
 * Each case: its input files (topology first, then policies, as cases.json lists them) are loaded,
 * compiled with `ipblockPods: 'ignore'` (their endpoints have no addresses: nets match outside
 * addresses and NetworkSet ranges only, README limitation 5), and listed pod by pod (podMatrix, as
 * `matrix --endpoints pods`), then compared line for line with expected/<case>.txt.
 *
 * In-memory input normalisations, exactly the two the README names (each counted in the summary):
 * 1. a container's `"ports": {}` (a mapping where the API requires a list; the API server rejects it,
 *    and so does kubereach) is read as `"ports": []`;
 * 2. the `//"cnc-fe",` comment in wdc_wep2.json is removed (a JSON file with a comment).
 * Output notation (nca-calico-lines.ts): `[External]` suffixes dropped, adjacent external ranges with
 * equal CONNS merged, IPv6 ranges kept only in cases whose policies name an IPv6 CIDR. Their CONNS
 * cover every IP protocol and ICMP codes; both listings are compared in kubereach's universe (TCP,
 * UDP, SCTP ports; ICMP and ICMPv6 messages by type and code, types 0-254, type 255 being outside
 * theirs). A case agrees when the listings are then equal and theirs names nothing outside that
 * universe (no other protocol, no source port).
 *
 * Every case ends in exactly one outcome, and the summary prints the counts:
 * - agree: the listings are equal, and theirs says nothing kubereach's universe cannot hold;
 * - known difference (nca-calico-differences.ts): differs exactly as the entry says, for the reason it
 *   gives from Calico's documentation or from what kubereach does not model.
 * A case that differs in any other way fails the run.
 *
 * Run: npx vitest run --config test/conformance.config.ts test/conformance/nca-calico.test.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, ConnectionSet, loadCluster, podMatrix } from '@kubereach/core';
import { canonicalExternal, OUTSIDE_THEIR_DOMAIN, parseLines, readConns, text, type Line } from './nca-calico-lines.js';
import { NCA_CALICO_DIFFERENCES, type NcaDifference } from './nca-calico-differences.js';
import { ROOT } from './shared-data.js';

export const NCA_BASE = join(ROOT, '..', 'shared', 'conformance', 'nca-calico');

interface Case {
  readonly case: string;
  readonly inputs: readonly string[];
  readonly features: readonly string[];
  readonly expected: string;
  readonly lines: number;
}

const cases = JSON.parse(readFileSync(join(NCA_BASE, 'cases.json'), 'utf8')) as Case[];
const normalised = { emptyPorts: 0, comments: 0 };
const outcomes = new Map<string, 'agree' | 'known difference'>();

function readInputs(c: Case): { name: string; text: string }[] {
  return c.inputs.map((rel) => {
    let body = readFileSync(join(NCA_BASE, rel), 'utf8');
    const ports = body.match(/"ports": \{\}/g)?.length ?? 0;
    if (ports > 0) {
      normalised.emptyPorts += ports;
      body = body.replace(/"ports": \{\}/g, '"ports": []');
    }
    if (rel.endsWith('wdc_wep2.json') && /\/\/\s*"cnc-fe",/.test(body)) {
      normalised.comments++;
      body = body.replace(/\/\/\s*"cnc-fe",/, '');
    }
    return { name: rel, text: body };
  });
}

/** The case's listings, each in kubereach's universe as far as theirs can be read into it. */
interface Listings {
  readonly ours: Line[];
  readonly theirs: Line[];
  /** Protocols outside kubereach's universe their listing names, sorted. */
  readonly others: string[];
  /** Whether some line of theirs restricts source ports (kept as printed). */
  readonly sourcePorts: boolean;
}

/**
 * Both listings over one domain: kubereach's connection universe without ICMP type 255 (outside
 * theirs). A line of theirs restricted to source ports cannot be read into that universe and stays as
 * printed.
 */
export function listings(c: Case): Listings {
  const loaded = loadCluster(readInputs(c));
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${c.case}: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const index = compile(loaded.cluster, { ipblockPods: 'ignore' });
  const raw = parseLines(readFileSync(join(NCA_BASE, c.expected), 'utf8'), c.expected);
  const readings = raw.map((l) => readConns(l.conn));
  const others = new Set<string>();
  for (const r of readings) if (r !== null) for (const o of r.others) others.add(o);
  const domain = ConnectionSet.ALL.subtract(OUTSIDE_THEIR_DOMAIN);
  const keep = (ls: Line[]) => ls.filter((l) => l.conn !== 'No Connections');
  const ours = podMatrix(index).map((e) => ({ src: e.src, dst: e.dst, conn: e.conn.intersect(domain).toString() }));
  const theirs = raw.map((l, i) => (readings[i] === null ? l : { ...l, conn: readings[i]!.set.intersect(domain).toString() }));
  return {
    ours: canonicalExternal(keep(ours), c.features.includes('ipv6')),
    theirs: canonicalExternal(keep(theirs), true),
    others: [...others].sort(),
    sourcePorts: readings.some((r) => r === null),
  };
}

const setOf = (ls: readonly Line[]) => new Set(ls.map(text));
const minus = (a: Set<string>, b: Set<string>) => [...a].filter((x) => !b.has(x)).sort();

function checkDifference(d: NcaDifference, l: Listings): void {
  const so = setOf(l.ours);
  const st = setOf(l.theirs);
  const onlyOurs = minus(so, st);
  const onlyTheirs = minus(st, so);
  switch (d.check.kind) {
    case 'outside-universe': {
      expect({ others: l.others, sourcePorts: l.sourcePorts }).toEqual({ others: d.check.others, sourcePorts: false });
      expect(l.others.length).toBeGreaterThan(0);
      expect({ onlyOurs, onlyTheirs }).toEqual({ onlyOurs: [], onlyTheirs: [] });
      return;
    }
    case 'source-ports': {
      const pair = (x: string) => x.slice(0, x.indexOf(' : '));
      expect({ ours: onlyOurs.length, theirs: onlyTheirs.length }).toEqual({ ours: d.check.count, theirs: d.check.count });
      expect(onlyOurs.map(pair).sort()).toEqual(onlyTheirs.map(pair).sort());
      for (const x of onlyTheirs) expect(x, x).toMatch(/ src /);
      return;
    }
    case 'only-ours': {
      expect(onlyTheirs).toEqual([]);
      expect(onlyOurs.length).toBe(d.check.count);
      for (const x of onlyOurs) expect(x, x).toMatch(d.check.pattern);
      return;
    }
    case 'host-endpoints': {
      expect(onlyOurs).toEqual([]);
      expect(onlyTheirs.length).toBe(d.check.count);
      for (const x of onlyTheirs) expect(pairHasHost(x), x).toBe(true);
      return;
    }
    default: {
      const never: never = d.check;
      throw new Error(`unknown check ${JSON.stringify(never)}`);
    }
  }
}

function pairHasHost(line: string): boolean {
  const [src, rest] = line.split(' => ') as [string, string];
  return src.endsWith('[HostEndpoint]') || rest.slice(0, rest.indexOf(' : ')).endsWith('[HostEndpoint]');
}

describe('nca-calico conformance (network-config-analyzer Calico suite)', () => {
  it('finds the 47 cases', () => {
    expect(cases.length).toBe(47);
  });

  for (const c of cases) {
    it(c.case, () => {
      const l = listings(c);
      const d = NCA_CALICO_DIFFERENCES.find((x) => x.case === c.case);
      if (d === undefined) {
        const so = setOf(l.ours);
        const st = setOf(l.theirs);
        // agreement: nothing of theirs lies outside kubereach's universe, and the listings are equal
        expect({ others: l.others, sourcePorts: l.sourcePorts }).toEqual({ others: [], sourcePorts: false });
        expect({ onlyOurs: minus(so, st).slice(0, 20), onlyTheirs: minus(st, so).slice(0, 20) }).toEqual({ onlyOurs: [], onlyTheirs: [] });
        outcomes.set(c.case, 'agree');
      } else {
        checkDifference(d, l);
        outcomes.set(c.case, 'known difference');
      }
    });
  }

  it('every known difference names a case of the suite', () => {
    for (const d of NCA_CALICO_DIFFERENCES)
      expect(
        cases.some((c) => c.case === d.case),
        d.case,
      ).toBe(true);
  });

  afterAll(() => {
    const agree = [...outcomes.values()].filter((v) => v === 'agree').length;
    const known = [...outcomes.values()].filter((v) => v === 'known difference').length;
    console.log(
      `nca-calico: ${agree} of ${cases.length} cases agree exactly, ${known} differ as known-differences says ` +
        `(normalised in memory: ${normalised.emptyPorts} "ports": {} read as [], ${normalised.comments} JSON comment removed)`,
    );
  });
});
