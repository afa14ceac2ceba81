/** The executable's module: the bundle's entry (bundle.mjs) and the bin scripts run this. */
import { main } from './main.js';

main();
