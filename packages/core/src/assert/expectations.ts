/**
 * The expectations file of `assert`: what must and must not be reachable, checked in CI.
 *
 * ```yaml
 * allow:
 *   - from: shop/web                 # NAMESPACE/NAME, NAMESPACE/NAME[Kind], an address or a CIDR
 *     to: shop/api
 *     port: 8080                     # optional: NUMBER, NAME (a named port of the destination), with /UDP, /TCP or /SCTP
 *     reason: the storefront calls the API
 * deny:
 *   - from: {namespace: payments}    # a selector: namespace and/or labels (matchLabels of the pods)
 *     to: metadata                   # words: metadata, control-plane, etcd, kubelet, internet
 * ```
 *
 * Parsing is pure: text in, expectations and located problems out (a problem is bad input, exit 2).
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YNode } from 'yaml';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { Labels, Protocol } from '../model/types.js';
import { parseCidr, parseIP, type Cidr } from '../net/ip.js';

/** Words an expectation end may use instead of a workload or address. */
export const EXPECTATION_WORDS = ['metadata', 'control-plane', 'etcd', 'kubelet', 'internet'] as const;
/** One of {@link EXPECTATION_WORDS}. */
export type ExpectationWord = (typeof EXPECTATION_WORDS)[number];

/** One end of an expectation. */
export type EndSpec =
  | { readonly kind: 'ref'; readonly text: string }
  | { readonly kind: 'cidr'; readonly cidr: Cidr }
  | { readonly kind: 'word'; readonly word: ExpectationWord }
  | { readonly kind: 'select'; readonly namespace: string | null; readonly labels: Labels };

/** The port of an expectation: a number or a named port, with its protocol. */
export interface ExpectedPort {
  readonly protocol: Protocol;
  readonly port: number | string;
}

/** One allow or deny expectation from an expectations file, with where it was written. */
export interface Expectation {
  readonly verdict: 'allow' | 'deny';
  readonly from: EndSpec;
  readonly to: EndSpec;
  readonly port: ExpectedPort | null;
  readonly reason: string | null;
  /** Where the entry is in the expectations file. */
  readonly location: SourceLocation;
  /** `allow shop/web -> shop/api port 8080`: the name tests and reports use. */
  readonly name: string;
}

/** A problem in an expectations file: what is wrong and where. */
export interface ExpectationProblem {
  readonly message: string;
  readonly location: SourceLocation;
}

export function endText(e: EndSpec): string {
  switch (e.kind) {
    case 'ref':
      return e.text;
    case 'cidr':
      return e.cidr.text;
    case 'word':
      return e.word;
    case 'select': {
      const parts = [...(e.namespace === null ? [] : [`namespace=${e.namespace}`]), ...Object.entries(e.labels).map(([k, v]) => `${k}=${v}`)];
      return `{${parts.join(', ')}}`;
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** `PORT[/PROTO]` or a number: a port number 1-65535 or a port name, protocol TCP unless given. */
export function parseExpectedPort(value: unknown): ExpectedPort | string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
  if (text === null) return 'port must be a number or a string such as 443, 53/UDP or http';
  const m = /^([^/]+)(?:\/(.+))?$/.exec(text);
  const proto = (m?.[2] ?? 'TCP').toUpperCase();
  if (m === null || (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP'))
    return `port '${text}': expected PORT or PORT/PROTOCOL with PROTOCOL one of TCP, UDP, SCTP`;
  const p = m[1]!;
  if (/^[0-9]+$/.test(p)) {
    const n = Number(p);
    if (n < 1 || n > 65535) return `port '${text}': must be within 1-65535`;
    return { port: n, protocol: proto };
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(p) || p.length > 15) return `port '${text}': not a port number nor a valid port name`;
  return { port: p, protocol: proto };
}

function parseEnd(
  node: YNode | null | undefined,
  where: string,
  loc: (n: YNode | null | undefined) => SourceLocation,
  problems: ExpectationProblem[],
): EndSpec | null {
  if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') {
    const t = node.value.trim();
    if ((EXPECTATION_WORDS as readonly string[]).includes(t)) return { kind: 'word', word: t as ExpectationWord };
    if (t.includes('/') && parseIP(t.split('/')[0]!) !== null) {
      const c = parseCidr(t);
      if (typeof c === 'string') {
        problems.push({ message: `${where}: ${c}`, location: loc(node) });
        return null;
      }
      return { kind: 'cidr', cidr: c };
    }
    return { kind: 'ref', text: t };
  }
  if (isMap(node)) {
    let namespace: string | null = null;
    const labels: Record<string, string> = {};
    for (const item of node.items) {
      const key = isScalar(item.key) ? String(item.key.value) : '';
      if (key === 'namespace' && isScalar(item.value) && typeof item.value.value === 'string') namespace = item.value.value;
      else if (key === 'labels' && isMap(item.value)) {
        for (const l of item.value.items) {
          if (!isScalar(l.key) || !isScalar(l.value)) {
            problems.push({ message: `${where}.labels: every label must be key: value`, location: loc(l.key as YNode) });
            return null;
          }
          labels[String(l.key.value)] = String(l.value.value);
        }
      } else {
        problems.push({
          message: `${where}: unknown or invalid field '${key}' (a selector has namespace: NAME and labels: {KEY: VALUE})`,
          location: loc(item.key as YNode),
        });
        return null;
      }
    }
    if (namespace === null && Object.keys(labels).length === 0) {
      problems.push({ message: `${where}: an empty selector; give namespace and/or labels`, location: loc(node) });
      return null;
    }
    return { kind: 'select', namespace, labels };
  }
  problems.push({
    message: `${where}: expected NAMESPACE/NAME, an address, a CIDR, one of ${EXPECTATION_WORDS.join(', ')}, or {namespace, labels}`,
    location: loc(node),
  });
  return null;
}

/** Parses an expectations file; any problem makes the whole file bad input. */
export function parseExpectations(file: string, text: string): { expectations: Expectation[]; problems: ExpectationProblem[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  const at = (offset: number): SourceLocation => {
    const p = lc.linePos(offset);
    return { file, line: p.line, col: p.col, doc: 0 };
  };
  const loc = (n: YNode | null | undefined): SourceLocation => at(n?.range?.[0] ?? 0);
  const problems: ExpectationProblem[] = doc.errors.map((e) => ({ message: e.message.split('\n')[0]!, location: at(e.pos[0]) }));
  const expectations: Expectation[] = [];
  if (problems.length > 0) return { expectations, problems };
  const root = doc.contents;
  if (!isMap(root)) {
    problems.push({ message: 'the expectations file must be a mapping with allow: and/or deny: lists', location: loc(root) });
    return { expectations, problems };
  }
  for (const top of root.items) {
    const key = isScalar(top.key) ? String(top.key.value) : '';
    if (key !== 'allow' && key !== 'deny') {
      problems.push({ message: `unknown top-level field '${key}' (expected allow and deny)`, location: loc(top.key as YNode) });
      continue;
    }
    if (top.value === null || (isScalar(top.value) && top.value.value === null)) continue;
    if (!isSeq(top.value)) {
      problems.push({ message: `${key} must be a list of {from, to, port?, reason?}`, location: loc(top.value as YNode) });
      continue;
    }
    top.value.items.forEach((entry, i) => {
      const where = `${key}[${i}]`;
      const node = entry as YNode;
      if (!isMap(node)) {
        problems.push({ message: `${where} must be a mapping with from and to`, location: loc(node) });
        return;
      }
      let from: EndSpec | null = null;
      let to: EndSpec | null = null;
      let port: ExpectedPort | null = null;
      let reason: string | null = null;
      let ok = true;
      const seen = new Set<string>();
      for (const item of node.items) {
        const k = isScalar(item.key) ? String(item.key.value) : '';
        seen.add(k);
        const v = item.value as YNode | null;
        if (k === 'from') from = parseEnd(v, `${where}.from`, loc, problems);
        else if (k === 'to') to = parseEnd(v, `${where}.to`, loc, problems);
        else if (k === 'port') {
          const p = parseExpectedPort(isScalar(v) ? v.value : null);
          if (typeof p === 'string') {
            problems.push({ message: `${where}.${p}`, location: loc(v) });
            ok = false;
          } else port = p;
        } else if (k === 'reason') reason = isScalar(v) ? String(v.value) : null;
        else {
          problems.push({ message: `${where}: unknown field '${k}' (expected from, to, port, reason)`, location: loc(item.key as YNode) });
          ok = false;
        }
      }
      for (const need of ['from', 'to'])
        if (!seen.has(need)) {
          problems.push({ message: `${where}: '${need}' is required`, location: loc(node) });
          ok = false;
        }
      if (!ok || from === null || to === null) return;
      const name = `${key} ${endText(from)} -> ${endText(to)}${port === null ? '' : ` port ${port.port}/${port.protocol}`}`;
      expectations.push({ verdict: key, from, to, port, reason, location: loc(node), name });
    });
  }
  return { expectations, problems };
}
