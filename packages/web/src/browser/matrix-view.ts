/**
 * The matrix: namespaces (and the outside world) as rows and columns, a cell the number of allowed
 * workload pairs from one to the other, shaded by how many of the possible pairs that is; a click on
 * a cell drills down to those workloads, each cell there the connection set.
 */
import { clear, h } from './dom.js';
import { connAllows, type PortFilter, type ReportModel } from './model.js';

export class MatrixView {
  private drill: { src: string; dst: string } | null = null;
  port: PortFilter | null = null;

  constructor(
    private readonly model: ReportModel,
    private readonly root: HTMLElement,
    private readonly onEdge: (edges: readonly number[]) => void,
  ) {}

  private pass(i: number): boolean {
    const e = this.model.edge(i);
    return e.status !== 'removed' && (this.port === null || connAllows(this.model.conn(e), this.port));
  }

  render(): void {
    clear(this.root);
    if (this.drill !== null) this.renderDrill(this.drill.src, this.drill.dst);
    else this.renderGroups();
  }

  private renderGroups(): void {
    const m = this.model;
    const idx = new Map(m.groups.map((g, i) => [g, i]));
    const n = m.groups.length;
    const counts = new Array<number>(n * n).fill(0);
    m.data.edges.forEach((e, i) => {
      if (!this.pass(i)) return;
      counts[idx.get(m.groupOf[e.src]!)! * n + idx.get(m.groupOf[e.dst]!)!]!++;
    });
    const size = (g: string) => m.members.get(g)!.length;
    const table = h('table', { class: 'matrix', 'data-testid': 'ns-matrix' });
    table.append(
      h('tr', {}, h('th', { class: 'corner', text: 'from \\ to' }), ...m.groups.map((g) => h('th', { class: 'col', title: g }, h('span', { text: g })))),
    );
    m.groups.forEach((a, r) => {
      const row = h('tr', {}, h('th', { class: 'row', text: a }));
      m.groups.forEach((b, c) => {
        const k = counts[r * n + c]!;
        const possible = size(a) * size(b) - (a === b ? size(a) : 0);
        const share = possible > 0 ? k / possible : 0;
        row.append(
          h('td', {
            class: k === 0 ? 'cell empty' : 'cell',
            style: k === 0 ? '' : `background: rgba(215, 38, 61, ${(0.12 + 0.78 * share).toFixed(2)})`,
            title: `${a} -> ${b}: ${k} of ${possible} workload pairs allowed`,
            'data-src': a,
            'data-dst': b,
            text: k === 0 ? '' : k,
            onclick: () => {
              this.drill = { src: a, dst: b };
              this.render();
            },
          }),
        );
      });
      table.append(row);
    });
    this.root.append(
      h('p', { class: 'hint', text: 'Allowed workload pairs between namespaces; darker = a larger share of all pairs. Click a cell for its workloads.' }),
      h('div', { class: 'scroll' }, table),
    );
  }

  private renderDrill(a: string, b: string): void {
    const m = this.model;
    const rows = m.members.get(a) ?? [];
    const cols = m.members.get(b) ?? [];
    const cell = new Map<string, number>();
    for (const i of rows) for (const ei of m.out[i]!) if (this.pass(ei) && m.groupOf[m.edge(ei).dst] === b) cell.set(`${i}>${m.edge(ei).dst}`, ei);
    const limit = 150;
    const back = h('button', { text: '\u2190 all namespaces', onclick: () => ((this.drill = null), this.render()) });
    const table = h('table', { class: 'matrix drill', 'data-testid': 'ws-matrix' });
    table.append(
      h(
        'tr',
        {},
        h('th', { class: 'corner', text: `${a} \\ ${b}` }),
        ...cols.slice(0, limit).map((j) => h('th', { class: 'col', title: m.node(j).id }, h('span', { text: m.node(j).name }))),
      ),
    );
    for (const i of rows.slice(0, limit)) {
      const row = h('tr', {}, h('th', { class: 'row', text: m.node(i).name, title: m.node(i).id }));
      for (const j of cols.slice(0, limit)) {
        const ei = cell.get(`${i}>${j}`);
        row.append(
          ei === undefined
            ? h('td', { class: 'cell empty' })
            : h('td', {
                class: 'cell conn',
                title: `${m.node(i).id} => ${m.node(j).id} : ${m.conn(m.edge(ei)).text}`,
                text: m.conn(m.edge(ei)).text,
                onclick: () => this.onEdge([ei]),
              }),
        );
      }
      table.append(row);
    }
    const more = rows.length > limit || cols.length > limit ? h('p', { class: 'hint', text: `showing the first ${limit} workloads of each side` }) : null;
    this.root.append(h('p', {}, back, ` ${a} \u2192 ${b}`), ...(more === null ? [] : [more]), h('div', { class: 'scroll' }, table));
  }
}
