/**
 * Manifests in the URL: deflate-raw (the browser's CompressionStream) then base64url, in the
 * fragment, so a link reproduces a question and the manifests never reach a server.
 */
async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

export async function compressText(text: string): Promise<string> {
  return toBase64Url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
}

/** The text back, or null when the fragment is not one we wrote. */
export async function decompressText(code: string): Promise<string | null> {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await pipe(fromBase64Url(code), new DecompressionStream('deflate-raw')));
  } catch {
    return null;
  }
}

export interface Shared {
  readonly manifests: string | null;
  readonly question: { readonly src: string; readonly dst: string; readonly port: string } | null;
}

export async function readFragment(hash: string): Promise<Shared> {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const m = p.get('manifests');
  const q = p.get('can');
  const [src = '', dst = '', port = ''] = (q ?? '').split(' ');
  return { manifests: m === null ? null : await decompressText(m), question: q === null ? null : { src, dst, port } };
}

export async function writeFragment(manifests: string, question: Shared['question']): Promise<string> {
  const p = new URLSearchParams();
  p.set('manifests', await compressText(manifests));
  if (question !== null && question.src !== '' && question.dst !== '') p.set('can', [question.src, question.dst, question.port].join(' ').trim());
  return `#${p.toString()}`;
}
