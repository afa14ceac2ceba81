/**
 * Debian's Chromium and the flags it runs with, headless and offline (no sandbox in containers, no
 * GPU, no background traffic): shared by the browser tests and the report benchmark.
 */
export const CHROMIUM = process.env['KUBEREACH_CHROMIUM'] ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
