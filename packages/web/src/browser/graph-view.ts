/**
 * The graph: sigma.js (WebGL) over a graphology graph, laid out once by graphology-layout's
 * circle packing with namespaces as the hierarchy, so every namespace is a disc of its workloads and
 * positions stay put when a namespace is collapsed or expanded. A collapsed namespace is one node,
 * and its edges are bundled per peer; clicking it expands it.
 */
import Graph from 'graphology';
import Sigma from 'sigma';
import { circlepack } from 'graphology-layout';
import type { EdgeStatus, ReportNode } from '@kubereach/core';
import { connAllows, OUTSIDE, type PortFilter, type ReportModel } from './model.js';

export const STATUS_COLOUR: Readonly<Record<EdgeStatus, string>> = { same: '#b8c2cc', added: '#1a9c3b', removed: '#d7263d', changed: '#f0a202' };
export const CONN_COLOURS = [
  { name: 'all connections', colour: '#d7263d' },
  { name: 'TCP only', colour: '#2f6fdf' },
  { name: 'UDP only', colour: '#12a4a4' },
  { name: 'SCTP only', colour: '#8a5a00' },
  { name: 'several protocols', colour: '#8e44ad' },
] as const;
const KIND_COLOUR: Readonly<Record<ReportNode['kind'], string>> = {
  workload: '#2f6fdf',
  external: '#7f8c8d',
  metadata: '#e67e22',
  'control-plane': '#9b59b6',
  node: '#a0522d',
};
const PALETTE = ['#2f6fdf', '#1a9c3b', '#12a4a4', '#c2185b', '#5e35b1', '#00838f', '#6d4c41', '#ef6c00', '#546e7a', '#7cb342'];
const DIM = '#e4e8ec';

export interface Filters {
  search: string;
  namespace: string | null;
  port: PortFilter | null;
  statuses: Set<EdgeStatus>;
}

/** Nodes and edges to bring forward (a finding's subject and path, a selection's neighbourhood). */
export interface Highlight {
  readonly nodes: ReadonlySet<number>;
  readonly edges: ReadonlySet<number>;
}

export interface GraphCallbacks {
  onNode(i: number): void;
  onEdge(edges: readonly number[]): void;
  onStage(): void;
  onChange(): void;
}

type NodeAttrs = { x: number; y: number; size: number; color: string; label: string; group: string; data: number; hidden?: boolean };
type EdgeAttrs = { size: number; color: string; edges: number[]; hidden?: boolean };

/** A short label: the workload's name, or an address range with the target it holds. */
function labelOf(n: ReportNode): string {
  if (n.kind === 'workload') return n.name;
  const [a, b] = n.name.split('-');
  const range = a !== undefined && a === b ? a : n.name;
  return n.kind === 'external' ? range : `${n.kind === 'metadata' ? 'metadata' : n.kind === 'node' ? 'node' : 'control plane'} ${range}`;
}

const nodeKey = (i: number) => `n${i}`;
const groupKey = (g: string) => `g:${g}`;

function hash(s: string): number {
  let x = 2166136261;
  for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 16777619);
  return x >>> 0;
}

/** A seeded generator, so one report always gets one layout. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class GraphView {
  readonly graph = new Graph<NodeAttrs, EdgeAttrs>({ type: 'directed', multi: false, allowSelfLoops: true });
  readonly sigma: Sigma<NodeAttrs, EdgeAttrs>;
  readonly expanded = new Set<string>();
  filters: Filters = { search: '', namespace: null, port: null, statuses: new Set(['same', 'added', 'removed', 'changed']) };
  highlight: Highlight | null = null;
  private pos: { x: number; y: number }[] = [];
  private groupPos = new Map<string, { x: number; y: number; r: number }>();
  private edgePass: Uint8Array;
  private nodePass: Uint8Array;
  private matches: Set<number> = new Set();

  constructor(
    readonly model: ReportModel,
    container: HTMLElement,
    private readonly cb: GraphCallbacks,
    collapseAbove = 300,
  ) {
    this.edgePass = new Uint8Array(model.data.edges.length);
    this.nodePass = new Uint8Array(model.data.nodes.length);
    this.layout();
    if (model.data.nodes.length <= collapseAbove) for (const g of model.groups) this.expanded.add(g);
    this.computePass();
    this.rebuild();
    this.sigma = new Sigma(this.graph, container, {
      allowInvalidContainer: true,
      enableEdgeEvents: true,
      defaultEdgeType: 'arrow',
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: model.data.nodes.length <= 150 ? 0 : 7,
      hideEdgesOnMove: model.data.edges.length > 20000,
      zIndex: true,
      nodeReducer: (key, a) => this.reduceNode(key, a),
      edgeReducer: (key, a) => this.reduceEdge(key, a),
    });
    const xs = this.pos.map((p) => p.x);
    const ys = this.pos.map((p) => p.y);
    if (xs.length > 0) this.sigma.setCustomBBox({ x: [Math.min(...xs) - 1, Math.max(...xs) + 1], y: [Math.min(...ys) - 1, Math.max(...ys) + 1] });
    this.sigma.on('clickNode', ({ node }) => {
      const a = this.graph.getNodeAttributes(node);
      if (node.startsWith('g:')) this.setExpanded(a.group, true);
      else this.cb.onNode(a.data);
    });
    this.sigma.on('clickEdge', ({ edge }) => this.cb.onEdge(this.graph.getEdgeAttribute(edge, 'edges')));
    this.sigma.on('clickStage', () => this.cb.onStage());
  }

  /** Circle packing of every node with its namespace as the hierarchy: computed once. */
  private layout(): void {
    const g = new Graph();
    this.model.data.nodes.forEach((_, i) => g.addNode(nodeKey(i), { group: this.model.groupOf[i] }));
    const pos = circlepack(g, { hierarchyAttributes: ['group'], rng: rng(hash(this.model.data.title)), scale: 100 });
    this.pos = this.model.data.nodes.map((_, i) => pos[nodeKey(i)] ?? { x: 0, y: 0 });
    for (const [group, members] of this.model.members) {
      let x = 0;
      let y = 0;
      for (const m of members) {
        x += this.pos[m]!.x;
        y += this.pos[m]!.y;
      }
      x /= members.length;
      y /= members.length;
      // packed discs touch; drawing each namespace a little tighter leaves a gap that shows the groups
      for (const m of members) this.pos[m] = { x: x + (this.pos[m]!.x - x) * 0.7, y: y + (this.pos[m]!.y - y) * 0.7 };
      let r = 0;
      for (const m of members) r = Math.max(r, Math.hypot(this.pos[m]!.x - x, this.pos[m]!.y - y));
      this.groupPos.set(group, { x, y, r });
    }
  }

  private colourOf(i: number): string {
    const n = this.model.node(i);
    if (n.kind !== 'workload') return KIND_COLOUR[n.kind];
    return PALETTE[hash(this.model.groupOf[i]!) % PALETTE.length]!;
  }

  /** The colour of an edge: by status in a diff, else by what it allows. */
  edgeColour(i: number): string {
    const e = this.model.edge(i);
    if (this.model.data.kind === 'diff') return STATUS_COLOUR[e.status];
    const c = this.model.conn(e);
    if (c.text === 'All Connections') return CONN_COLOURS[0].colour;
    const protos = (['TCP', 'UDP', 'SCTP'] as const).filter((p) => c[p].length > 0);
    if (protos.length !== 1) return CONN_COLOURS[4].colour;
    return protos[0] === 'TCP' ? CONN_COLOURS[1].colour : protos[0] === 'UDP' ? CONN_COLOURS[2].colour : CONN_COLOURS[3].colour;
  }

  /** Which edges and nodes the filters let through (namespace, port, status; search only highlights). */
  private computePass(): void {
    const { namespace, port, statuses } = this.filters;
    const m = this.model;
    this.nodePass.fill(namespace === null ? 1 : 0);
    m.data.edges.forEach((e, i) => {
      let ok = statuses.has(e.status) && (port === null || connAllows(m.conn(e), port));
      if (ok && namespace !== null) ok = m.groupOf[e.src] === namespace || m.groupOf[e.dst] === namespace;
      this.edgePass[i] = ok ? 1 : 0;
      if (ok && namespace !== null) {
        this.nodePass[e.src] = 1;
        this.nodePass[e.dst] = 1;
      }
    });
    if (namespace !== null) for (const i of m.members.get(namespace) ?? []) this.nodePass[i] = 1;
    const q = this.filters.search.trim().toLowerCase();
    this.matches = new Set();
    if (q !== '') m.data.nodes.forEach((n, i) => n.id.toLowerCase().includes(q) && this.matches.add(i));
  }

  /** Rebuilds the displayed graph: expanded namespaces as their nodes, collapsed ones as one node each. */
  private rebuild(): void {
    const m = this.model;
    const g = this.graph;
    g.clear();
    const keyOf = (i: number) => (this.expanded.has(m.groupOf[i]!) ? nodeKey(i) : groupKey(m.groupOf[i]!));
    for (const group of m.groups) {
      const members = m.members.get(group)!;
      if (this.expanded.has(group)) {
        for (const i of members) {
          const n = m.node(i);
          g.addNode(nodeKey(i), { ...this.pos[i]!, size: n.kind === 'workload' ? 5 : 7, color: this.colourOf(i), label: labelOf(n), group, data: i });
        }
      } else {
        const p = this.groupPos.get(group)!;
        g.addNode(groupKey(group), {
          x: p.x,
          y: p.y,
          size: Math.min(24, 6 + Math.sqrt(members.length) * 1.5),
          color: group === OUTSIDE ? KIND_COLOUR.external : PALETTE[hash(group) % PALETTE.length]!,
          label: `${group} (${members.length}, click to expand)`,
          group,
          data: -1,
        });
      }
    }
    m.data.edges.forEach((e, i) => {
      const a = keyOf(e.src);
      const b = keyOf(e.dst);
      if (a === b && a.startsWith('g:')) return; // inside a collapsed namespace
      const key = `${a}>${b}`;
      if (g.hasEdge(key)) g.getEdgeAttribute(key, 'edges').push(i);
      else g.addDirectedEdgeWithKey(key, a, b, { size: 1, color: this.edgeColour(i), edges: [i] });
    });
    g.forEachEdge((key, a) => {
      if (a.edges.length > 1) {
        const colours = new Set(a.edges.map((i) => this.edgeColour(i)));
        g.mergeEdgeAttributes(key, { size: Math.min(6, 1 + Math.log2(a.edges.length)), color: colours.size === 1 ? [...colours][0]! : '#6c7a89' });
      }
    });
  }

  private nodeVisible(key: string, a: NodeAttrs): boolean {
    if (a.data >= 0) return this.nodePass[a.data] === 1;
    return (this.model.members.get(a.group) ?? []).some((i) => this.nodePass[i] === 1);
  }

  private edgeVisible(a: EdgeAttrs): boolean {
    return a.edges.some((i) => this.edgePass[i] === 1);
  }

  private reduceNode(key: string, a: NodeAttrs): Partial<NodeAttrs & { forceLabel: boolean; zIndex: number; highlighted: boolean }> {
    if (!this.nodeVisible(key, a)) return { ...a, hidden: true };
    const lit = this.litNode(a);
    if (lit === null) return a;
    if (!lit) return { ...a, color: DIM, label: '', zIndex: 0 };
    // labels are forced only for a few nodes: forced labels may overlap, the others sigma spaces out
    const match = this.matches.size > 0 && a.data >= 0 && this.matches.has(a.data);
    const few = (this.highlight === null || this.highlight.nodes.size <= 8) && this.matches.size <= 8;
    return { ...a, forceLabel: few || match, zIndex: 2, highlighted: match };
  }

  /** null: nothing is highlighted; else whether this node is. */
  private litNode(a: NodeAttrs): boolean | null {
    const sets: ReadonlySet<number>[] = [];
    if (this.highlight !== null) sets.push(this.highlight.nodes);
    if (this.matches.size > 0 || this.filters.search.trim() !== '') sets.push(this.matches);
    if (sets.length === 0) return null;
    const members = a.data >= 0 ? [a.data] : (this.model.members.get(a.group) ?? []);
    return sets.every((s) => members.some((i) => s.has(i)));
  }

  private reduceEdge(key: string, a: EdgeAttrs): Partial<EdgeAttrs & { zIndex: number }> {
    if (!this.edgeVisible(a)) return { ...a, hidden: true };
    const [s, t] = this.graph.extremities(key);
    if (!this.nodeVisible(s, this.graph.getNodeAttributes(s)) || !this.nodeVisible(t, this.graph.getNodeAttributes(t))) return { ...a, hidden: true };
    if (this.highlight !== null) {
      const lit = a.edges.some((i) => this.highlight!.edges.has(i));
      return lit ? { ...a, size: Math.max(a.size, 3), zIndex: 2 } : { ...a, color: DIM, zIndex: 0 };
    }
    if (this.matches.size > 0 || this.filters.search.trim() !== '') {
      const ends = [this.graph.getNodeAttributes(s), this.graph.getNodeAttributes(t)];
      if (!ends.some((n) => this.litNode(n) === true)) return { ...a, color: DIM, zIndex: 0 };
    }
    return a;
  }

  setFilters(f: Partial<Filters>): void {
    this.filters = { ...this.filters, ...f };
    this.computePass();
    // a search match inside a collapsed namespace opens it, so the match can be seen and clicked
    if (this.matches.size > 0 && this.matches.size <= 50) {
      let opened = false;
      for (const i of this.matches) {
        const g = this.model.groupOf[i]!;
        if (!this.expanded.has(g)) {
          this.expanded.add(g);
          opened = true;
        }
      }
      if (opened) this.rebuild();
    }
    this.refresh();
  }

  setHighlight(h: Highlight | null): void {
    this.highlight = h;
    if (h !== null) {
      let opened = false;
      for (const i of h.nodes) {
        const g = this.model.groupOf[i]!;
        if (h.nodes.size <= 200 && !this.expanded.has(g)) {
          this.expanded.add(g);
          opened = true;
        }
      }
      if (opened) this.rebuild();
    }
    this.refresh();
  }

  setExpanded(group: string, on: boolean): void {
    if (on) this.expanded.add(group);
    else this.expanded.delete(group);
    this.rebuild();
    this.refresh();
  }

  expandAll(on: boolean): void {
    for (const g of this.model.groups) if (on) this.expanded.add(g);
    if (!on) this.expanded.clear();
    this.rebuild();
    this.refresh();
  }

  private refresh(): void {
    this.sigma.refresh();
    this.cb.onChange();
  }

  /** Nodes and edges drawn now (not hidden by a filter). */
  counts(): { nodes: number; edges: number; groupsCollapsed: number; matches: number } {
    let nodes = 0;
    let edges = 0;
    this.graph.forEachNode((k, a) => {
      if (this.nodeVisible(k, a)) nodes++;
    });
    this.graph.forEachEdge((k, a) => {
      if (!this.reduceEdge(k, a).hidden) edges++;
    });
    return { nodes, edges, groupsCollapsed: this.model.groups.filter((g) => !this.expanded.has(g)).length, matches: this.matches.size };
  }

  /** Where a node is drawn, in pixels from the top left of the graph's container (null when not drawn). */
  viewportOf(i: number): { x: number; y: number } | null {
    const key = this.graph.hasNode(nodeKey(i)) ? nodeKey(i) : groupKey(this.model.groupOf[i]!);
    if (!this.graph.hasNode(key)) return null;
    const d = this.sigma.getNodeDisplayData(key);
    return d === undefined ? null : this.sigma.framedGraphToViewport(d);
  }

  focus(i: number): void {
    const p = this.viewportOf(i);
    if (p === null) return;
    const key = this.graph.hasNode(nodeKey(i)) ? nodeKey(i) : groupKey(this.model.groupOf[i]!);
    const d = this.sigma.getNodeDisplayData(key)!;
    void this.sigma.getCamera().animate({ x: d.x, y: d.y, ratio: Math.min(this.sigma.getCamera().ratio, 0.5) }, { duration: 300 });
  }
}
