/**
 * The report page: header controls (search, namespace / port / finding filters, diff statuses),
 * the graph or the matrix, and a side panel (details, findings, stats). Used by the report file and
 * by the playground, on data the core computed.
 */
import type { EdgeStatus, ReportData, ReportFinding } from '@kubereach/core';
import { clear, h } from './dom.js';
import { CONN_COLOURS, GraphView, STATUS_COLOUR, type Highlight } from './graph-view.js';
import { MatrixView } from './matrix-view.js';
import { ReportModel, parsePortFilter } from './model.js';
import { edgePanel, findingDetail, findingsPanel, nodePanel, statsPanel, type PanelActions } from './panels.js';

type Tab = 'details' | 'findings' | 'stats';

export class ReportApp {
  readonly model: ReportModel;
  readonly graph: GraphView;
  readonly matrix: MatrixView;
  private readonly side: HTMLElement;
  private readonly counter: HTMLElement;
  private readonly tabs = new Map<Tab, HTMLButtonElement>();
  private tab: Tab = 'findings';
  private details: HTMLElement | null = null;
  private readonly severities = new Set(['high', 'medium', 'low', 'info']);
  private readonly actions: PanelActions;
  /** When the page became interactive (performance.now(): ms since navigation start), for the benchmark. */
  readyAt = 0;
  /** When the frame after that was painted (set by the page's script). */
  firstFrameAt = 0;

  constructor(
    readonly root: HTMLElement,
    data: ReportData,
  ) {
    this.model = new ReportModel(data);
    clear(root);
    this.actions = {
      node: (i) => this.selectNode(i),
      edges: (list) => this.selectEdges(list),
      finding: (f) => this.selectFinding(f),
    };
    const graphBox = h('div', { class: 'graph', 'data-testid': 'graph' });
    const matrixBox = h('div', { class: 'matrix-view', 'data-testid': 'matrix-view', hidden: true });
    this.side = h('div', { class: 'side-body' });
    this.counter = h('span', { class: 'counts', 'data-testid': 'counts' });
    const viewButtons = (['graph', 'matrix'] as const).map((v) =>
      h('button', {
        class: v === 'graph' ? 'view-tab active' : 'view-tab',
        'data-view': v,
        text: v === 'graph' ? 'Graph' : 'Matrix',
        onclick: () => {
          graphBox.hidden = v !== 'graph';
          matrixBox.hidden = v !== 'matrix';
          legend.hidden = v !== 'graph';
          for (const b of viewButtons) b.classList.toggle('active', b.dataset['view'] === v);
          if (v === 'matrix') this.matrix.render();
          else this.graph.sigma.refresh();
        },
      }),
    );
    const legend = this.legend();
    const main = h('main', {}, h('div', { class: 'view' }, graphBox, matrixBox, legend), h('aside', {}, this.tabBar(), this.side));
    const caveats = this.caveats();
    root.append(...(caveats === null ? [this.header(viewButtons), main] : [this.header(viewButtons), caveats, main]));
    document.title = data.title;
    this.matrix = new MatrixView(this.model, matrixBox, (list) => this.selectEdges(list));
    this.graph = new GraphView(this.model, graphBox, {
      onNode: (i) => this.selectNode(i),
      onEdge: (l) => this.selectEdges(l),
      onStage: () => this.clearSelection(),
      onChange: () => this.updateCounts(),
    });
    this.updateCounts();
    this.show('findings');
    this.readyAt = performance.now();
  }

  private header(viewButtons: HTMLElement[]): HTMLElement {
    const d = this.model.data;
    const search = h('input', {
      type: 'search',
      placeholder: 'search by name',
      'data-testid': 'search',
      oninput: (e: Event) => this.graph.setFilters({ search: (e.target as HTMLInputElement).value }),
    });
    const ns = h(
      'select',
      { 'data-testid': 'namespace-filter', onchange: (e: Event) => this.graph.setFilters({ namespace: (e.target as HTMLSelectElement).value || null }) },
      h('option', { value: '', text: 'all namespaces' }),
      ...this.model.groups.map((g) => h('option', { value: g, text: g })),
    );
    const port = h('input', {
      type: 'text',
      placeholder: 'port, e.g. 5432/TCP',
      size: 14,
      'data-testid': 'port-filter',
      oninput: (e: Event) => {
        const el = e.target as HTMLInputElement;
        const p = parsePortFilter(el.value);
        el.classList.toggle('invalid', el.value.trim() !== '' && p === null);
        this.graph.setFilters({ port: p });
        this.matrix.port = p;
      },
    });
    const ids = [...new Set(d.findings.map((f) => f.id))].sort();
    const finding = h(
      'select',
      {
        'data-testid': 'finding-filter',
        onchange: (e: Event) => {
          const id = (e.target as HTMLSelectElement).value;
          this.graph.setHighlight(id === '' ? null : this.highlightOf(d.findings.filter((f) => f.id === id)));
        },
      },
      h('option', { value: '', text: `all findings (${d.findings.length})` }),
      ...ids.map((id) => h('option', { value: id, text: `${id} (${d.findings.filter((f) => f.id === id).length})` })),
    );
    const statuses =
      d.kind === 'diff'
        ? h(
            'span',
            { class: 'statuses' },
            ...(['added', 'removed', 'changed', 'same'] as EdgeStatus[]).map((s) =>
              h(
                'label',
                {},
                h('input', {
                  type: 'checkbox',
                  checked: true,
                  'data-status': s,
                  onchange: (e: Event) => {
                    const set = new Set(this.graph.filters.statuses);
                    if ((e.target as HTMLInputElement).checked) set.add(s);
                    else set.delete(s);
                    this.graph.setFilters({ statuses: set });
                  },
                }),
                ` ${s === 'same' ? 'unchanged' : s}`,
              ),
            ),
          )
        : null;
    return h(
      'header',
      {},
      h('div', { class: 'title' }, h('h1', { text: d.title }), h('span', { class: 'gen', text: d.generator })),
      h(
        'div',
        { class: 'controls' },
        search,
        ns,
        port,
        finding,
        statuses,
        h('button', { 'data-testid': 'expand-all', text: 'expand all', onclick: () => this.graph.expandAll(true) }),
        h('button', { 'data-testid': 'collapse-all', text: 'collapse all', onclick: () => this.graph.expandAll(false) }),
        ...viewButtons,
        this.counter,
      ),
    );
  }

  private caveats(): HTMLElement | null {
    const c = this.model.data.caveats;
    if (c.length === 0) return null;
    return h('div', { class: 'caveats', 'data-testid': 'caveats' }, h('b', { text: 'Caveats: ' }), h('ul', {}, ...c.map((t) => h('li', { text: t }))));
  }

  private legend(): HTMLElement {
    const d = this.model.data;
    const items =
      d.kind === 'diff'
        ? (['added', 'removed', 'changed', 'same'] as const).map((s) => ({
            colour: STATUS_COLOUR[s],
            name: s === 'same' ? `unchanged (${d.edges.filter((e) => e.status === 'same').length})` : `${s} (${d.diff?.[s] ?? 0})`,
            status: s,
          }))
        : CONN_COLOURS.map((c) => ({ colour: c.colour, name: c.name, status: '' }));
    return h(
      'div',
      { class: 'legend', 'data-testid': 'legend' },
      ...items.map((i) => h('span', { class: 'item', 'data-status': i.status }, h('i', { style: `background:${i.colour}` }), i.name)),
    );
  }

  private tabBar(): HTMLElement {
    const bar = h('div', { class: 'tabs' });
    for (const t of ['details', 'findings', 'stats'] as Tab[]) {
      const b = h('button', { 'data-tab': t, text: t[0]!.toUpperCase() + t.slice(1), onclick: () => this.show(t) });
      this.tabs.set(t, b);
      bar.append(b);
    }
    return bar;
  }

  private show(t: Tab): void {
    this.tab = t;
    for (const [k, b] of this.tabs) b.classList.toggle('active', k === t);
    clear(this.side);
    if (t === 'details')
      this.side.append(this.details ?? h('p', { class: 'hint', text: 'Click a workload or an edge. A collapsed namespace opens on click.' }));
    else if (t === 'findings') this.side.append(findingsPanel(this.model, this.severities, () => this.show('findings'), this.actions));
    else this.side.append(statsPanel(this.model));
  }

  private highlightOf(fs: readonly ReportFinding[]): Highlight {
    const nodes = new Set<number>();
    const edges = new Set<number>();
    for (const f of fs) {
      for (const n of f.nodes) nodes.add(n);
      for (const n of f.path) nodes.add(n);
      for (let k = 0; k + 1 < f.path.length; k++) {
        const a = f.path[k]!;
        const b = f.path[k + 1]!;
        for (const ei of this.model.out[a]!) if (this.model.edge(ei).dst === b) edges.add(ei);
      }
    }
    return { nodes, edges };
  }

  selectNode(i: number): void {
    const m = this.model;
    const nodes = new Set<number>([i]);
    const edges = new Set<number>();
    for (const ei of m.out[i]!) {
      edges.add(ei);
      nodes.add(m.edge(ei).dst);
    }
    for (const ei of m.in[i]!) {
      edges.add(ei);
      nodes.add(m.edge(ei).src);
    }
    this.graph.setHighlight({ nodes, edges });
    this.details = nodePanel(m, i, this.actions);
    this.show('details');
  }

  selectEdges(list: readonly number[]): void {
    const nodes = new Set<number>();
    for (const ei of list) {
      nodes.add(this.model.edge(ei).src);
      nodes.add(this.model.edge(ei).dst);
    }
    this.graph.setHighlight({ nodes, edges: new Set(list) });
    this.details = edgePanel(this.model, list, this.actions);
    this.show('details');
  }

  selectFinding(f: ReportFinding): void {
    this.graph.setHighlight(this.highlightOf([f]));
    this.details = h('div', { class: 'panel' }, findingDetail(f), f.nodes.length === 1 ? nodePanel(this.model, f.nodes[0]!, this.actions) : null);
    this.show('details');
  }

  clearSelection(): void {
    this.graph.setHighlight(null);
  }

  private updateCounts(): void {
    const c = this.graph.counts();
    const search = this.graph.filters.search.trim() === '' ? '' : `, ${c.matches} matching`;
    this.counter.textContent = `${c.nodes} nodes, ${c.edges} edges shown${c.groupsCollapsed > 0 ? ` (${c.groupsCollapsed} namespaces collapsed)` : ''}${search}`;
    this.counter.dataset['matches'] = String(c.matches);
    this.counter.dataset['nodes'] = String(c.nodes);
    this.counter.dataset['edges'] = String(c.edges);
  }

  destroy(): void {
    this.graph.sigma.kill();
    clear(this.root);
  }
}
