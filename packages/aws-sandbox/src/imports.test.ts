/*
 * The sandbox's files must not import each other in a loop, type-only
 * imports included: services and the engine see the sandbox through the
 * views in world.ts, and index.ts only re-exports.
 */
import fs from 'node:fs';
import path from 'node:path';

const IMPORT =
  /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

function importGraph(dir: string): Map<string, string[]> {
  const files = sourceFiles(dir);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const m of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const base = path.resolve(path.dirname(file), m[1] ?? m[2]);
      const hit = [base, `${base}.ts`, path.join(base, 'index.ts')].find(c =>
        files.includes(c),
      );
      if (hit) targets.add(path.relative(dir, hit));
    }
    graph.set(path.relative(dir, file), [...targets]);
  }
  return graph;
}

/** Every loop, as the path from a file back to itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, trail: string[]) => {
    const at = trail.indexOf(file);
    if (at >= 0) {
      found.push([...trail.slice(at), file]);
      return;
    }
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    done.add(file);
  };
  for (const file of graph.keys()) visit(file, []);
  return found;
}

describe('imports', () => {
  it('finds a loop when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('has no import loop in the sandbox', () => {
    const graph = importGraph(__dirname);
    expect(graph.get('index.ts')).toContain('start.ts');
    expect(cycles(graph)).toEqual([]);
  });
});
