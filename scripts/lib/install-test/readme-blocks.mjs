// The install steps of our plugin READMEs, as data. A fenced code block that
// follows the line `<!-- install-test -->` is one step a user copies; the
// install test applies exactly those blocks to a new app, so a README that
// drifts from what works fails the test instead of a user.
import fs from 'node:fs';

const MARK = '<!-- install-test -->';

/** Returns the marked blocks of a README: { file, lang, target, body }. */
export function installBlocks(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== MARK) continue;
    let start = i + 1;
    while (lines[start]?.trim() === '') start++;
    const fence = lines[start]?.match(/^```(\w+)$/);
    if (!fence) {
      throw new Error(`${file}:${i + 1}: ${MARK} must precede a code block`);
    }
    const end = lines.indexOf('```', start + 1);
    if (end < 0)
      throw new Error(`${file}:${start + 1}: unterminated code block`);
    const body = lines.slice(start + 1, end);
    // The first line names the file the block belongs in (`// path` or
    // `# path`), except for shell commands.
    const target = body[0]?.match(/^(?:\/\/|#)\s*(\S+\.(?:ts|tsx|yaml))$/)?.[1];
    blocks.push({
      file,
      line: start + 1,
      lang: fence[1],
      target,
      body: target ? body.slice(1) : body,
    });
    i = end;
  }
  return blocks;
}
