/** Process entry of the pull-request action (action.yml runs `node packages/cli/dist/action/main.js`). */
import { runAction } from './pr-action.js';

runAction({ env: process.env, log: (line) => process.stdout.write(`${line}\n`) }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stdout.write(`::error title=kubereach::internal error: ${String(e).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
    process.exitCode = 3;
  },
);
