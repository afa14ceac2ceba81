/**
 * Rendering generated objects as text, in chunks so 150k pods never need one giant intermediate
 * (the CLI writes chunk by chunk; renderCluster joins them).
 *
 * - json: one `List` as `kubectl get -o json` gives it, one item per line (so a loader's line numbers
 *   point at an object), each item through JSON.stringify.
 * - yaml: a multi-document stream (`---` before each document), block style as `kubectl get -o yaml`
 *   prints it. A dedicated emitter for plain JSON data: the `yaml` package's stringify is far too slow
 *   for this size. Strings are plain only when no YAML 1.1 or 1.2 reader can take them for anything
 *   but a string (start with a letter, only [A-Za-z0-9._/-], not a boolean or null word); all
 *   others are written double-quoted via JSON.stringify, whose escapes are a subset of YAML's.
 */

export type Format = 'json' | 'yaml';

const ITEMS_PER_CHUNK = 1000;

const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);
const PLAIN = /^[A-Za-z][A-Za-z0-9._/-]*$/;

function scalar(v: unknown): string {
  if (typeof v === 'string') return PLAIN.test(v) && !RESERVED.has(v.toLowerCase()) ? v : JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return 'null';
  throw new TypeError(`not a scalar: ${typeof v}`);
}

function isEmptyCollection(v: unknown): string | null {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : null;
  if (v !== null && typeof v === 'object') return Object.keys(v).length === 0 ? '{}' : null;
  return null;
}

/**
 * Appends the lines of `v` (a non-empty map or list) at `indent`; the first line starts with
 * `first` instead of the indentation (how a map inside a list item begins with `- `).
 */
function emit(v: object, indent: string, first: string, out: string[]): void {
  let lead = first;
  if (Array.isArray(v)) {
    for (const item of v as unknown[]) {
      const empty = isEmptyCollection(item);
      if (item !== null && typeof item === 'object' && empty === null) {
        emit(item, `${indent}  `, `${lead}- `, out);
      } else {
        out.push(`${lead}- ${empty ?? scalar(item)}`);
      }
      lead = indent;
    }
    return;
  }
  for (const [k, child] of Object.entries(v)) {
    if (child === undefined) continue;
    const key = scalar(k);
    const empty = isEmptyCollection(child);
    if (child !== null && typeof child === 'object' && empty === null) {
      out.push(`${lead}${key}:`);
      // Lists sit at their key's indentation, as kubectl prints them; maps go one level deeper.
      if (Array.isArray(child)) emit(child, indent, indent, out);
      else emit(child, `${indent}  `, `${indent}  `, out);
    } else {
      out.push(`${lead}${key}: ${empty ?? scalar(child)}`);
    }
    lead = indent;
  }
}

/** One YAML document (with its leading `---`) for a plain-JSON object. */
export function toYamlDocument(obj: object): string {
  const out: string[] = ['---'];
  emit(obj, '', '', out);
  out.push('');
  return out.join('\n');
}

/**
 * One `List` as `kubectl get -o yaml` prints it: `items:` with each item at the key's indentation
 * (`- apiVersion: ...`), the same emitter as the documents.
 */
export function toYamlList(objects: readonly object[]): string {
  const out: string[] = ['apiVersion: v1', 'items:'];
  emit(objects as object[], '', '', out);
  out.push('kind: List', 'metadata:', '  resourceVersion: ""', '');
  return out.join('\n');
}

/** The rendered text in chunks of ~1000 objects; concatenated they are the whole output. */
export function* renderChunks(objects: readonly object[], format: Format): Generator<string> {
  switch (format) {
    case 'json': {
      yield '{"apiVersion":"v1","kind":"List","items":[\n';
      for (let i = 0; i < objects.length; i += ITEMS_PER_CHUNK) {
        const part = objects.slice(i, i + ITEMS_PER_CHUNK).map((o) => JSON.stringify(o));
        yield (i === 0 ? '' : ',\n') + part.join(',\n');
      }
      yield '\n],"metadata":{"resourceVersion":""}}\n';
      return;
    }
    case 'yaml':
      for (let i = 0; i < objects.length; i += ITEMS_PER_CHUNK) {
        yield objects
          .slice(i, i + ITEMS_PER_CHUNK)
          .map(toYamlDocument)
          .join('');
      }
      return;
    default: {
      const _x: never = format;
      throw new TypeError(`unknown format ${String(_x)}`);
    }
  }
}

/**
 * The whole output as one string (json: a kubectl-style List; yaml: a multi-document stream).
 * 150k pods give ~330 MB of JSON or ~350 MB of YAML, within V8's ~536M-character string limit but
 * not by a wide margin: for larger clusters write renderChunks out piece by piece, as the CLI does.
 */
export function renderCluster(objects: readonly object[], format: Format): string {
  return Array.from(renderChunks(objects, format)).join('');
}
