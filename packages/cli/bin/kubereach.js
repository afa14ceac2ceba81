#!/usr/bin/env node
// Thin shim so the `kubereach` bin link exists at install time; the code is in dist/ after `npm run build`.
import { main } from '../dist/main.js';
main();
