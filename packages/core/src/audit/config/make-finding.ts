/** Builds a Finding whose severity always comes from the catalogue. */
import type { Finding } from '../finding.js';
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import { CONFIG_FINDING_SEVERITY, type ConfigFindingId } from './catalogue.js';

export function finding(id: ConfigFindingId, subject: string, message: string, evidence: string, fix: string, location: SourceLocation | null): Finding {
  return { id, severity: CONFIG_FINDING_SEVERITY[id], subject, message, evidence, fix, location };
}
