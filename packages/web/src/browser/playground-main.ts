/**
 * The playground: paste or drop manifests into the editor, see the diagnostics at their lines, the
 * report (graph, findings, matrix) and `can` answers, all computed in this page by @kubereach/core.
 * The URL fragment carries the manifests and the question, so a link reproduces both.
 */
import { EditorView, basicSetup } from 'codemirror';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import type { Diagnostic } from '@kubereach/core';
import { ReportApp } from './app.js';
import { analyse, ask, type Analysis } from './analyse.js';
import { clear, h } from './dom.js';
import { readFragment, writeFragment } from './share.js';
import demoCluster from '../../../../fixtures/demo/cluster.yaml';
import demoPolicies from '../../../../fixtures/demo/policies.yaml';

const DEMO = `${demoCluster.trimEnd()}\n---\n${demoPolicies}`;

let current: Analysis = { diagnostics: [], index: null, report: null };
let app: ReportApp | null = null;
let analysedText = '';

const reportBox = h('div', { class: 'pg-report', 'data-testid': 'pg-report' });
const diagBox = h('div', { class: 'pg-diagnostics', 'data-testid': 'diagnostics' });
const answerBox = h('pre', { class: 'pg-answer', 'data-testid': 'answer' });
const srcInput = h('input', { type: 'text', placeholder: 'SRC: ns/name', 'data-testid': 'can-src' });
const dstInput = h('input', { type: 'text', placeholder: 'DST: ns/name or IP', 'data-testid': 'can-dst' });
const portInput = h('input', { type: 'text', placeholder: 'port (optional)', size: 10, 'data-testid': 'can-port' });

function toCm(doc: Text, d: Diagnostic): CmDiagnostic {
  const line = d.location === null ? 1 : Math.min(Math.max(d.location.line, 1), doc.lines);
  const l = doc.line(line);
  const from = d.location === null ? 0 : Math.min(l.from + Math.max(d.location.col - 1, 0), l.to);
  return { from, to: Math.max(from, l.to), severity: d.severity, message: `${d.code}: ${d.message}${d.hint === '' ? '' : `\n${d.hint}`}`, source: 'kubereach' };
}

function run(text: string): void {
  analysedText = text;
  current = analyse(text);
  clear(diagBox);
  if (current.diagnostics.length > 0) {
    diagBox.append(
      h(
        'ul',
        {},
        ...current.diagnostics.map((d) =>
          h(
            'li',
            { class: `diag ${d.severity}`, 'data-code': d.code },
            h('span', { class: 'loc', text: d.location === null ? '' : `line ${d.location.line}:${d.location.col} ` }),
            `${d.severity}: ${d.message}`,
          ),
        ),
      ),
    );
  }
  app?.destroy();
  app = null;
  if (current.report !== null && current.report.nodes.length > 0) {
    app = new ReportApp(reportBox, current.report);
    (window as unknown as { kubereach: ReportApp }).kubereach = app;
  } else {
    clear(reportBox);
    reportBox.append(
      h('p', {
        class: 'hint',
        text:
          current.report === null
            ? 'Fix the errors on the left to see the graph.'
            : 'Paste or drop manifests (Namespaces, Pods or workloads, NetworkPolicies, ...) into the editor, or load the demo.',
      }),
    );
  }
  document.body.dataset['analysed'] = String(Number(document.body.dataset['analysed'] ?? '0') + 1);
}

function askNow(): void {
  if (current.index === null) {
    answerBox.textContent = 'no index: the manifests have errors';
    return;
  }
  const a = ask(current.index, srcInput.value, dstInput.value, portInput.value);
  answerBox.textContent = a.text;
  answerBox.dataset['allowed'] = String(a.allowed);
}

let timer: ReturnType<typeof setTimeout> | undefined;
const editor = new EditorView({
  doc: '',
  extensions: [
    basicSetup,
    yaml(),
    lintGutter(),
    linter(
      (view) => {
        const text = view.state.doc.toString();
        if (text !== analysedText) run(text);
        return current.diagnostics.map((d) => toCm(view.state.doc, d));
      },
      { delay: 300 },
    ),
    EditorView.updateListener.of((u) => {
      if (!u.docChanged) return;
      clearTimeout(timer);
      timer = setTimeout(() => run(u.state.doc.toString()), 300);
    }),
    EditorView.domEventHandlers({
      drop: (ev, view) => {
        const files = [...(ev.dataTransfer?.files ?? [])];
        if (files.length === 0) return false;
        ev.preventDefault();
        void Promise.all(files.map((f) => f.text())).then((texts) =>
          view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: texts.map((t) => t.trimEnd()).join('\n---\n') } }),
        );
        return true;
      },
    }),
  ],
});

function setText(text: string): void {
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
  run(text);
}

async function share(): Promise<void> {
  const hash = await writeFragment(editor.state.doc.toString(), { src: srcInput.value, dst: dstInput.value, port: portInput.value });
  history.replaceState(null, '', hash);
  shareOut.value = location.href;
  shareOut.hidden = false;
  shareOut.select();
}

const shareOut = h('input', { type: 'text', readonly: true, hidden: true, class: 'pg-link', 'data-testid': 'share-link' });
const root = document.getElementById('app')!;
root.append(
  h(
    'header',
    {},
    h(
      'div',
      { class: 'title' },
      h('h1', { text: 'kubereach playground' }),
      h('span', { class: 'gen', text: 'everything runs in this page: nothing is uploaded' }),
    ),
    h(
      'div',
      { class: 'controls' },
      h('button', { 'data-testid': 'load-demo', text: 'load the demo cluster', onclick: () => setText(DEMO) }),
      h('button', { 'data-testid': 'share', text: 'link to this', onclick: () => void share() }),
      shareOut,
    ),
  ),
  h(
    'div',
    { class: 'pg-main' },
    h(
      'div',
      { class: 'pg-left' },
      h('div', { class: 'pg-editor', 'data-testid': 'editor' }, editor.dom),
      diagBox,
      h(
        'form',
        { class: 'pg-ask', onsubmit: (e: Event) => (e.preventDefault(), askNow()) },
        h('b', { text: 'can ' }),
        srcInput,
        dstInput,
        portInput,
        h('button', { type: 'submit', 'data-testid': 'ask', text: 'ask' }),
      ),
      answerBox,
    ),
    reportBox,
  ),
);

void readFragment(location.hash).then((shared) => {
  setText(shared.manifests ?? '');
  if (shared.question !== null) {
    srcInput.value = shared.question.src;
    dstInput.value = shared.question.dst;
    portInput.value = shared.question.port;
    askNow();
  }
  document.body.dataset['ready'] = 'true';
});
