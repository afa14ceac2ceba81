/**
 * The report page of the demo cluster in Chromium: what is drawn is the index (node and edge counts),
 * a click on a workload opens its panel (peers with ports, policies with file:line), an edge shows
 * the text `can --explain` prints, search and the namespace / port / finding filters, the findings
 * panel's severity filter, and the matrix. Expected values come from the core in this process (the
 * index) and from the CLI, not from the page; hand-checked facts about the demo are commented.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { auditNetwork, matrix, sortFindings, type ReachabilityIndex } from '@kubereach/core';
import { cli, cliPage, clickNode, counts, indexOf, launch, open, screenshot } from './support.js';

let browser: Browser;
let page: Page;
let problems: string[];
let index: ReachabilityIndex;

beforeAll(async () => {
  browser = await launch();
  index = indexOf('fixtures/demo/cluster.yaml', 'fixtures/demo/policies.yaml');
  ({ page, problems } = await open(browser, await cliPage(['report', '-f', 'fixtures/demo'], 'demo.html')));
  await page.waitForFunction(() => 'kubereach' in window);
});

afterAll(async () => {
  await browser?.close();
});

describe('the demo report in Chromium', () => {
  test('opens from file:// with no network request and no script error', async () => {
    expect(await page.title()).toBe('kubereach report');
    expect(problems).toEqual([]);
  });

  test('draws one node per entity and one edge per allowed pair of the index', async () => {
    const m = matrix(index);
    expect(await counts(page)).toEqual({ nodes: index.entities.length, edges: m.length, matches: 0 });
    expect(await page.getByTestId('counts').textContent()).toBe(`${index.entities.length} nodes, ${m.length} edges shown`);
    await screenshot(page, 'report-demo-graph');
  });

  test('a click on shop/db opens its panel: reached only by shop/api on TCP 5432, its two ingress policies with file:line:col', async () => {
    await clickNode(page, 'shop/db[StatefulSet]');
    const panel = page.getByTestId('node-panel');
    await expect.poll(() => panel.locator('h2').textContent()).toBe('shop/db[StatefulSet]');
    // policies.yaml: default-deny-ingress (line 2) and db-from-api (line 30) select app=db; db-from-api allows api on 5432
    expect(await panel.getByTestId('reached-by').locator('li').allTextContents()).toEqual(['shop/api[Deployment]TCP 5432']);
    expect(await panel.getByTestId('policies').locator('li').allTextContents()).toEqual([
      'NetworkPolicy shop/db-from-api (ingress) fixtures/demo/policies.yaml:30:1',
      'NetworkPolicy shop/default-deny-ingress (ingress) fixtures/demo/policies.yaml:2:1',
    ]);
    const outbound = matrix(index).filter((e) => e.src.id === 'shop/db[StatefulSet]');
    expect(await panel.getByTestId('can-reach').locator('li').count()).toBe(outbound.length);
    await screenshot(page, 'report-demo-workload');
  });

  test('an edge shows its connections and exactly what `kubereach can SRC DST --explain` prints', async () => {
    await page.getByTestId('reached-by').locator('li').first().click();
    const panel = page.getByTestId('edge-panel');
    expect(await panel.getByTestId('edge-conn').textContent()).toBe('TCP 5432');
    const fromCli = await cli(['can', 'shop/api[Deployment]', 'shop/db[StatefulSet]', '--explain', '-f', 'fixtures/demo']);
    expect(fromCli.code).toBe(0);
    expect(await panel.getByTestId('explain').textContent()).toBe(fromCli.out);
    await screenshot(page, 'report-demo-edge');
  });

  test('a click on an edge of the canvas opens that edge: payments/gateway -> kube-system/coredns (DNS only, the gateway egress policy)', async () => {
    // where sigma draws every node and edge now, to click a point of the edge that no other node or edge is near
    const drawn = await page.evaluate(() => {
      const k = (
        window as unknown as {
          kubereach: {
            model: { byId: Map<string, number>; node(i: number): { id: string }; data: { edges: { src: number; dst: number }[] } };
            graph: { viewportOf(i: number): { x: number; y: number } };
          };
        }
      ).kubereach;
      const at = (i: number) => k.graph.viewportOf(i)!;
      return {
        nodes: k.model.data.edges.length === 0 ? [] : [...k.model.byId.values()].map((i) => ({ id: k.model.node(i).id, ...at(i) })),
        edges: k.model.data.edges.map((e) => ({ a: at(e.src), b: at(e.dst), id: `${k.model.node(e.src).id} ${k.model.node(e.dst).id}` })),
      };
    });
    const target = 'payments/gateway[Deployment] kube-system/coredns[Deployment]';
    const me = drawn.edges.find((e) => e.id === target)!;
    const dist = (p: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }) => {
      const l = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
      const t = l === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / l));
      return Math.hypot(p.x - (a.x + t * (b.x - a.x)), p.y - (a.y + t * (b.y - a.y)));
    };
    const clearance = (p: { x: number; y: number }) =>
      Math.min(...drawn.nodes.map((n) => Math.hypot(p.x - n.x, p.y - n.y) - 8), ...drawn.edges.filter((e) => e.id !== target).map((e) => dist(p, e.a, e.b)));
    const candidates = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7].map((t) => ({ x: me.a.x + t * (me.b.x - me.a.x), y: me.a.y + t * (me.b.y - me.a.y) }));
    const best = candidates.reduce((p, q) => (clearance(q) > clearance(p) ? q : p));
    expect(clearance(best)).toBeGreaterThan(3); // a point of this edge that is this edge's alone
    // as a user does: select the gateway (its edges are drawn thicker), then click one of them
    await clickNode(page, 'payments/gateway[Deployment]');
    await expect.poll(() => page.getByTestId('node-panel').locator('h2').textContent()).toBe('payments/gateway[Deployment]');
    await page.waitForTimeout(400); // two clicks within sigma's doubleClickTimeout (300 ms) are a double click
    const box = (await page.getByTestId('graph').boundingBox())!;
    await page.mouse.click(box.x + best.x, box.y + best.y);
    const panel = page.getByTestId('edge-panel');
    await expect.poll(() => panel.locator('h2').textContent()).toBe('payments/gateway[Deployment] \u2192 kube-system/coredns[Deployment]');
    // policies.yaml, gateway: egress to kube-dns on 53/UDP and 53/TCP only
    const conn = matrix(index)
      .find((e) => e.src.id === 'payments/gateway[Deployment]' && e.dst.id === 'kube-system/coredns[Deployment]')!
      .conn.toString();
    expect(conn).toBe('TCP 53,UDP 53');
    expect(await panel.getByTestId('edge-conn').textContent()).toBe(conn);
    const fromCli = await cli(['can', 'payments/gateway[Deployment]', 'kube-system/coredns[Deployment]', '--explain', '-f', 'fixtures/demo']);
    expect(await panel.getByTestId('explain').textContent()).toBe(fromCli.out);
  });

  test("every edge from shop/web to a workload (its 3 replicas to each other too) explains itself as the CLI's can --explain", async () => {
    // (can takes an address, not a range id, as an external end; the report's ranges are cut at the targets too)
    const out = matrix(index).filter((e) => e.src.id === 'shop/web[Deployment]' && e.dst.kind === 'endpoint');
    expect(out.some((e) => e.dst.id === 'shop/web[Deployment]')).toBe(true);
    for (const e of out) {
      await page.evaluate(
        ([s, d]) => {
          const k = (
            window as unknown as {
              kubereach: { model: { byId: Map<string, number>; out: number[][]; edge(i: number): { dst: number } }; selectEdges(l: number[]): void };
            }
          ).kubereach;
          const i = k.model.byId.get(s!)!;
          k.selectEdges([k.model.out[i]!.find((x) => k.model.edge(x).dst === k.model.byId.get(d!))!]);
        },
        [e.src.id, e.dst.id],
      );
      const fromCli = await cli(['can', e.src.id, e.dst.id, '--explain', '-f', 'fixtures/demo']);
      expect(fromCli.code).toBe(0);
      expect(await page.getByTestId('edge-panel').getByTestId('explain').textContent(), e.dst.id).toBe(fromCli.out);
    }
  });

  test('search by name lights the matching workloads', async () => {
    await page.mouse.click(5, 400); // the stage: clears the selection
    await page.getByTestId('search').fill('gateway');
    await expect.poll(async () => (await counts(page)).matches).toBe(1);
    expect(await page.getByTestId('counts').textContent()).toContain('1 matching');
    await screenshot(page, 'report-demo-search');
    await page.getByTestId('search').fill('');
    await expect.poll(async () => (await counts(page)).matches).toBe(0);
  });

  test('the namespace filter keeps shop, its edges and their other ends', async () => {
    const m = matrix(index).filter((e) => [e.src, e.dst].some((x) => x.kind === 'endpoint' && x.endpoint.namespace === 'shop'));
    const ends = new Set<string>(index.entities.filter((e) => e.kind === 'endpoint' && e.endpoint.namespace === 'shop').map((e) => e.id));
    for (const e of m) {
      ends.add(e.src.id);
      ends.add(e.dst.id);
    }
    await page.getByTestId('namespace-filter').selectOption('shop');
    await expect.poll(() => counts(page)).toEqual({ nodes: ends.size, edges: m.length, matches: 0 });
    await screenshot(page, 'report-demo-namespace');
    await page.getByTestId('namespace-filter').selectOption('');
  });

  test('the port filter keeps the edges that allow that port', async () => {
    for (const [text, proto, port] of [
      ['5432', 'TCP', 5432],
      ['53/udp', 'UDP', 53],
      ['8443/TCP', 'TCP', 8443],
    ] as const) {
      await page.getByTestId('port-filter').fill(text);
      const expected = matrix(index).filter((e) => e.conn.contains(proto, port)).length;
      await expect.poll(async () => (await counts(page)).edges, { message: text }).toBe(expected);
    }
    await page.getByTestId('port-filter').fill('');
    await expect.poll(async () => (await counts(page)).edges).toBe(matrix(index).length);
  });

  test('the findings panel lists the audit findings, filters by severity, and a click highlights the subject', async () => {
    const findings = sortFindings(auditNetwork(index));
    await page.locator('.tabs button[data-tab=findings]').click();
    const list = page.getByTestId('findings-list').locator('li');
    // the report also runs the configuration audit; the network findings are all there
    const shown = await list.locator('b').allTextContents();
    for (const f of findings) expect(shown).toContain(f.id);
    const total = await list.count();
    const lows = await page.locator('[data-testid=findings-list] li.sev-low').count();
    await page.locator('input[data-severity=low]').uncheck();
    await expect.poll(() => page.getByTestId('findings-list').locator('li').count()).toBe(total - lows);
    await page.locator('input[data-severity=low]').check();
    const metadata = page.locator('[data-testid=findings-list] li[data-id=METADATA_REACHABLE]').first();
    const subject = await metadata.locator('.subject').textContent();
    await metadata.click();
    await expect.poll(() => page.getByTestId('finding-detail').locator('h3').textContent()).toContain('METADATA_REACHABLE');
    expect(await page.getByTestId('node-panel').locator('h2').textContent()).toBe(subject);
    await screenshot(page, 'report-demo-finding');
  });

  test('the finding filter highlights every subject of one finding id', async () => {
    await page.getByTestId('finding-filter').selectOption('METADATA_REACHABLE');
    const lit = await page.evaluate(
      () => (window as unknown as { kubereach: { graph: { highlight: { nodes: Set<number> } | null } } }).kubereach.graph.highlight?.nodes.size ?? 0,
    );
    const subjects = new Set(
      sortFindings(auditNetwork(index))
        .filter((f) => f.id === 'METADATA_REACHABLE')
        .map((f) => f.subject),
    );
    expect(lit).toBe(subjects.size);
    await page.getByTestId('finding-filter').selectOption('');
  });

  test('the matrix counts allowed workload pairs per namespace pair and drills down to connection sets', async () => {
    await page.locator('button[data-view=matrix]').click();
    const within = matrix(index).filter(
      (e) => e.src.kind === 'endpoint' && e.dst.kind === 'endpoint' && e.src.endpoint.namespace === 'shop' && e.dst.endpoint.namespace === 'shop',
    );
    const cell = page.locator('[data-testid=ns-matrix] td[data-src=shop][data-dst=shop]');
    expect(await cell.textContent()).toBe(String(within.length));
    await screenshot(page, 'report-demo-matrix');
    await cell.click();
    const conns = await page.locator('[data-testid=ws-matrix] td.conn').evaluateAll((tds) => tds.map((t) => t.getAttribute('title')));
    expect(conns.sort()).toEqual(within.map((e) => `${e.src.id} => ${e.dst.id} : ${e.conn.toString()}`).sort());
    await page.locator('.tabs button[data-tab=stats]').click();
    expect(await page.getByTestId('stats-panel').textContent()).toContain(`graph edges${matrix(index).length}`);
    await screenshot(page, 'report-demo-matrix-drill');
    await page.locator('button[data-view=graph]').click();
    expect(problems).toEqual([]);
  });
});
