/**
 * `can SRC SERVICE`: the engine's answer for every backend on its target port, folded into one word.
 * yes = every backend reachable, no = none (or no backend at all), partly = some.
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { explainConnection, type ConnectionVerdict } from '../query/explain.js';
import type { ServiceBackend, ServiceResolution } from './backends.js';

/** The answer for a Service: yes (every backend), partly (some), no. */
export type ServiceAnswerWord = 'yes' | 'no' | 'partly';

/** The answer for one backend of a Service. */
export interface BackendVerdict {
  readonly backend: ServiceBackend;
  readonly allowed: boolean;
  /** The deciding rules (with `explain`); null when not asked or the backend has no target port. */
  readonly verdict: ConnectionVerdict | null;
}

/** The answer for a Service: per backend, and in one word. */
export interface ServiceVerdict {
  readonly resolution: ServiceResolution;
  readonly answer: ServiceAnswerWord;
  readonly backends: readonly BackendVerdict[];
}

export function answerWord(allowed: readonly boolean[]): ServiceAnswerWord {
  const yes = allowed.filter(Boolean).length;
  return yes === 0 ? 'no' : yes === allowed.length ? 'yes' : 'partly';
}

/** Whether a source reaches a Service's backends on their target ports. */
export function canReachService(index: ReachabilityIndex, src: IndexEntity, resolution: ServiceResolution, explain = false): ServiceVerdict {
  const backends = resolution.backends.map((b): BackendVerdict => {
    if (b.target === null) return { backend: b, allowed: false, verdict: null };
    const allowed = index.allows(src, b.entity, b.target.protocol, b.target.port);
    return { backend: b, allowed, verdict: explain ? explainConnection(index, src, b.entity, b.target.protocol, b.target.port) : null };
  });
  return { resolution, answer: answerWord(backends.map((b) => b.allowed)), backends };
}
