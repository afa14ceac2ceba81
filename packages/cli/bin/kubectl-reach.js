#!/usr/bin/env node
// `kubectl reach ...`: kubectl runs an executable named kubectl-reach found on the PATH as a plugin.
import '../dist/bundle/kubereach.mjs';
