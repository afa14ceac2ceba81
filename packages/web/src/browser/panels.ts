/** The side panels: a workload, an edge (or a bundle of edges), the findings, the stats. */
import type { ReportFinding } from '@kubereach/core';
import { h, type Child } from './dom.js';
import type { ReportModel } from './model.js';
import { STATUS_COLOUR } from './graph-view.js';

export interface PanelActions {
  node(i: number): void;
  edges(list: readonly number[]): void;
  finding(f: ReportFinding): void;
}

const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;

function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', {}, h('h3', { text: title }), ...children);
}

function statusBadge(status: string): HTMLElement | null {
  return status === 'same' ? null : h('span', { class: `badge status-${status}`, style: `background:${STATUS_COLOUR[status as 'added']}`, text: status });
}

export function nodePanel(m: ReportModel, i: number, act: PanelActions): HTMLElement {
  const n = m.node(i);
  const facts = h(
    'dl',
    {},
    h('dt', { text: 'kind' }),
    h('dd', { text: n.kind === 'workload' ? n.workloadKind : n.kind }),
    n.namespace === null ? null : h('dt', { text: 'namespace' }),
    n.namespace === null ? null : h('dd', { text: n.namespace }),
    n.kind === 'workload' ? h('dt', { text: 'pods' }) : null,
    n.kind === 'workload' ? h('dd', { text: n.pods }) : null,
    n.addresses.length === 0 ? null : h('dt', { text: n.kind === 'workload' ? 'pod IPs' : 'addresses' }),
    n.addresses.length === 0 ? null : h('dd', { text: n.addresses.join(', ') }),
    n.location === null ? null : h('dt', { text: 'defined at' }),
    n.location === null ? null : h('dd', { class: 'loc', text: n.location }),
  );
  const labels = Object.entries(n.labels);
  const findings = m.data.findings.filter((f) => f.nodes.includes(i) || f.path.includes(i));
  const edgeList = (list: readonly number[], other: 'src' | 'dst', testid: string) =>
    list.length === 0
      ? h('p', { class: 'none', text: 'none' })
      : h(
          'ul',
          { class: 'edges', 'data-testid': testid },
          ...list.map((ei) => {
            const e = m.edge(ei);
            return h(
              'li',
              { onclick: () => act.edges([ei]) },
              statusBadge(e.status),
              h('span', { class: 'peer', text: m.node(e[other]).id }),
              h('span', { class: 'conn', text: m.conn(e).text }),
            );
          }),
        );
  return h(
    'div',
    { class: 'panel node-panel', 'data-testid': 'node-panel' },
    h('h2', { text: n.id }),
    facts,
    n.targets.length === 0 ? null : section('Sensitive targets in this range', h('ul', {}, ...n.targets.map((t) => h('li', { text: t })))),
    labels.length === 0 ? null : section('Labels', h('div', { class: 'labels' }, ...labels.map(([k, v]) => h('code', { text: `${k}=${v}` })))),
    n.kind !== 'workload'
      ? null
      : section(
          `Policies selecting it (${n.policies.length})`,
          n.policies.length === 0
            ? h('p', { class: 'none', text: 'none: not isolated, everything is allowed by default' })
            : h(
                'ul',
                { 'data-testid': 'policies' },
                ...n.policies.map((p) =>
                  h(
                    'li',
                    {},
                    `${p.tier === 'NetworkPolicy' ? 'NetworkPolicy' : `${p.tier} ${p.policyKind}`} ${p.name} (${p.direction}${p.priority === null ? '' : `, priority ${p.priority}`}) `,
                    h('span', { class: 'loc', text: p.location }),
                  ),
                ),
              ),
        ),
    findings.length === 0 ? null : section(`Findings (${findings.length})`, h('ul', { class: 'findings' }, ...findings.map((f) => findingItem(f, act)))),
    section(`Can reach (${m.out[i]!.length})`, edgeList(m.out[i]!, 'dst', 'can-reach')),
    section(`Reachable from (${m.in[i]!.length})`, edgeList(m.in[i]!, 'src', 'reached-by')),
  );
}

export function edgePanel(m: ReportModel, list: readonly number[], act: PanelActions): HTMLElement {
  if (list.length > 1) {
    return h(
      'div',
      { class: 'panel', 'data-testid': 'bundle-panel' },
      h('h2', { text: `${list.length} edges` }),
      h(
        'ul',
        { class: 'edges' },
        ...list.map((ei) => {
          const e = m.edge(ei);
          return h(
            'li',
            { onclick: () => act.edges([ei]) },
            statusBadge(e.status),
            h('span', { class: 'peer', text: `${m.node(e.src).id} \u2192 ${m.node(e.dst).id}` }),
            h('span', { class: 'conn', text: m.conn(e).text }),
          );
        }),
      ),
    );
  }
  const e = m.edge(list[0]!);
  const src = m.node(e.src);
  const dst = m.node(e.dst);
  const causes = e.causes ?? [];
  const side =
    e.status === 'removed'
      ? `before the change (${m.data.diff?.before ?? 'before'})`
      : m.data.kind === 'diff'
        ? `after the change (${m.data.diff?.after ?? 'after'})`
        : null;
  return h(
    'div',
    { class: 'panel edge-panel', 'data-testid': 'edge-panel' },
    h(
      'h2',
      {},
      h('a', { href: '#', onclick: (ev: Event) => (ev.preventDefault(), act.node(e.src)), text: src.id }),
      ' \u2192 ',
      h('a', { href: '#', onclick: (ev: Event) => (ev.preventDefault(), act.node(e.dst)), text: dst.id }),
    ),
    statusBadge(e.status),
    h(
      'dl',
      {},
      h('dt', { text: e.status === 'removed' ? 'allowed before' : 'allowed' }),
      h('dd', { class: 'conn', 'data-testid': 'edge-conn', text: m.conn(e).text }),
      e.before === undefined ? null : h('dt', { text: 'before' }),
      e.before === undefined ? null : h('dd', { class: 'conn', text: m.data.conns[e.before]!.text }),
    ),
    m.data.kind === 'diff' && e.status !== 'same'
      ? section(
          'Edits that can cause it',
          causes.length === 0
            ? h('p', { class: 'none', text: 'no policy or workload edit touches this pair directly' })
            : h('ul', { 'data-testid': 'causes' }, ...causes.map((c) => h('li', { text: m.data.texts[c]! }))),
        )
      : null,
    section(
      `Why (as kubereach can --explain prints it${side === null ? '' : `, ${side}`})`,
      h('pre', { class: 'explain', 'data-testid': 'explain', text: m.explainText(e) }),
    ),
  );
}

function findingItem(f: ReportFinding, act: PanelActions): HTMLElement {
  return h(
    'li',
    { class: `finding sev-${f.severity}`, 'data-id': f.id, onclick: () => act.finding(f) },
    h('span', { class: `badge sev-${f.severity}`, text: f.severity }),
    h('b', { text: f.id }),
    ' ',
    h('span', { class: 'subject', text: f.subject }),
    h('span', { class: 'source', text: ` \u00b7 ${f.source.split(' ')[0]}` }),
    h('div', { class: 'message', text: f.message }),
  );
}

export function findingDetail(f: ReportFinding): HTMLElement {
  return h(
    'div',
    { class: 'finding-detail', 'data-testid': 'finding-detail' },
    h('h3', {}, h('span', { class: `badge sev-${f.severity}`, text: f.severity }), ` ${f.id}`),
    h('p', { text: f.message }),
    h('p', {}, h('b', { text: 'Evidence: ' }), f.evidence),
    h('p', {}, h('b', { text: 'Fix: ' }), f.fix),
    f.location === null ? null : h('p', { class: 'loc', text: f.location }),
    h('p', { class: 'hint', text: `from the ${f.source}` }),
  );
}

export function findingsPanel(m: ReportModel, shown: Set<string>, onToggle: () => void, act: PanelActions): HTMLElement {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, m.data.findings.filter((f) => f.severity === s).length]));
  const boxes = SEVERITIES.map((s) =>
    h(
      'label',
      { class: `sev-filter sev-${s}` },
      h('input', {
        type: 'checkbox',
        'data-severity': s,
        checked: shown.has(s),
        onchange: (ev: Event) => {
          if ((ev.target as HTMLInputElement).checked) shown.add(s);
          else shown.delete(s);
          onToggle();
        },
      }),
      ` ${s} (${counts[s]})`,
    ),
  );
  const list = m.data.findings.filter((f) => shown.has(f.severity));
  return h(
    'div',
    { class: 'panel', 'data-testid': 'findings-panel' },
    h('h2', { text: `Findings (${m.data.findings.length})` }),
    h('div', { class: 'sev-filters' }, ...boxes),
    list.length === 0
      ? h('p', { class: 'none', text: m.data.findings.length === 0 ? 'no findings' : 'none at these severities' })
      : h('ul', { class: 'findings', 'data-testid': 'findings-list' }, ...list.map((f) => findingItem(f, act))),
  );
}

export function statsPanel(m: ReportModel): HTMLElement {
  const s = m.data.stats;
  const rows: [string, string | number][] = [
    ['pods', s.pods],
    ['workloads', s.workloads],
    ['namespaces', s.namespaces],
    ['endpoint classes', s.classes],
    ['NetworkPolicies', s.policies],
    ['admin policies', s.adminPolicies],
    ['rules', s.rules],
    ['IP atoms', s.ipAtoms],
    ['port atoms', s.portAtoms],
    ['allowed workload pairs', `${s.allowedPairs} of ${s.totalPairs}`],
    ['isolation score', s.isolationScore.toFixed(3)],
    ['graph nodes', m.data.nodes.length],
    ['graph edges', m.data.edges.length],
  ];
  if (m.data.diff !== undefined) rows.push(['edges added', m.data.diff.added], ['edges removed', m.data.diff.removed], ['edges changed', m.data.diff.changed]);
  return h(
    'div',
    { class: 'panel', 'data-testid': 'stats-panel' },
    h('h2', { text: 'Stats' }),
    h('table', { class: 'stats' }, ...rows.map(([k, v]) => h('tr', {}, h('th', { text: k }), h('td', { text: v })))),
    h('p', { class: 'hint', text: `made by ${m.data.generator}` }),
  );
}
