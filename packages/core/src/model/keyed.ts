/**
 * A map keyed by three strings (kind, namespace, name; or namespace, kind, name), without joining
 * them: a joined key is a new string per lookup that V8 must flatten and hash before the lookup, and
 * at 150k pods the model made three of them per pod (~0.4 s). Nested Maps hash each part, which is
 * usually a string already hashed (kinds are constants, names repeat).
 */
export class Keyed3<V> {
  private readonly top = new Map<string, Map<string, Map<string, V>>>();

  get(a: string, b: string, c: string): V | undefined {
    return this.top.get(a)?.get(b)?.get(c);
  }

  set(a: string, b: string, c: string, v: V): void {
    let m = this.top.get(a);
    if (m === undefined) this.top.set(a, (m = new Map()));
    let n = m.get(b);
    if (n === undefined) m.set(b, (n = new Map()));
    n.set(c, v);
  }
}
