#!/usr/bin/env node
// The `kubereach` command: the self-contained bundle that `npm run build` makes (packages/cli/bundle.mjs).
import '../dist/bundle/kubereach.mjs';
