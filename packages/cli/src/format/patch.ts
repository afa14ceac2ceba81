/**
 * `-o patch`: the output as a git-style unified diff that creates (or replaces) one file, so it can
 * be reviewed and applied like any change: `git apply`, or `patch -p1`. Paths are relative to the
 * working directory with `a/` and `b/` prefixes, as `git diff` writes them.
 */

function lines(text: string): { list: string[]; newlineAtEnd: boolean } {
  if (text === '') return { list: [], newlineAtEnd: true };
  const newlineAtEnd = text.endsWith('\n');
  const list = (newlineAtEnd ? text.slice(0, -1) : text).split('\n');
  return { list, newlineAtEnd };
}

function body(prefix: '+' | '-', text: string): string[] {
  const { list, newlineAtEnd } = lines(text);
  const out = list.map((l) => `${prefix}${l}`);
  if (!newlineAtEnd) out.push('\\ No newline at end of file');
  return out;
}

/** A patch making `path` hold `text`; `old` is its current content (null: the file does not exist). */
export function filePatch(path: string, old: string | null, text: string): string {
  const n = lines(text).list.length;
  if (old === null) {
    return [`diff --git a/${path} b/${path}`, 'new file mode 100644', '--- /dev/null', `+++ b/${path}`, `@@ -0,0 +1,${n} @@`, ...body('+', text), ''].join(
      '\n',
    );
  }
  if (old === text) return '';
  const m = lines(old).list.length;
  return [
    `diff --git a/${path} b/${path}`,
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -${m === 0 ? 0 : 1},${m} +1,${n} @@`,
    ...body('-', old),
    ...body('+', text),
    '',
  ].join('\n');
}
