/** Public surface of the configuration audit (re-exported by name from the package index). */
export { auditConfiguration, compareFindings, type ConfigAuditFacts, type KubeconfigFacts, type DirectoryFacts } from './audit.js';
export { CONFIG_FINDING_IDS, CONFIG_FINDING_SEVERITY, type ConfigFindingId } from './catalogue.js';
export {
  parseQuantity,
  compareQuantity,
  addQuantity,
  scaleQuantity,
  formatQuantity,
  quantityValue,
  quantityMilliValue,
  type Quantity,
  type QuantityFormat,
  type QuantityParse,
} from './quantity.js';
