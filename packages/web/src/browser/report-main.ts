/** The report file's script: reads the data the CLI embedded and mounts the page. */
import type { ReportData } from '@kubereach/core';
import { ReportApp } from './app.js';

const root = document.getElementById('app')!;
const raw = document.getElementById('kubereach-data')?.textContent ?? '';
const data: unknown = JSON.parse(raw);
if (typeof data !== 'object' || data === null || (data as ReportData).format !== 'kubereach-report') {
  root.textContent = 'This page holds no kubereach report data: make one with `kubereach report -f MANIFESTS -o html > report.html`.';
} else {
  const app = new ReportApp(root, data as ReportData);
  // for the browser tests and the benchmark: the app, and when the first frame after it was painted
  (window as unknown as { kubereach: ReportApp }).kubereach = app;
  requestAnimationFrame(() => requestAnimationFrame(() => (app.firstFrameAt = performance.now())));
}
