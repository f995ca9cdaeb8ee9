/*
 * Metric math in GetMetricData's expressions, the common subset: arithmetic
 * on series and numbers, METRICS() and SUM, AVG, MIN, MAX, ABS and FILL.
 */

type Value = number | Map<number, number> | Map<number, number>[];

function tokenize(expr: string): string[] {
  const tokens = expr.match(
    /\s*([A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|"[^"]*"|[()+\-*/,])/g,
  );
  if (
    !tokens ||
    tokens.join('').replace(/\s/g, '') !== expr.replace(/\s/g, '')
  ) {
    throw new Error('Syntax error');
  }
  return tokens.map(t => t.trim());
}

export function evaluate(
  expr: string,
  env: Map<string, Map<number, number>>,
): Map<number, number> {
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`Expected ${t}`);
  };
  const binary = (
    a: Value,
    b: Value,
    op: (x: number, y: number) => number,
  ): Value => {
    if (Array.isArray(a) || Array.isArray(b))
      throw new Error('Cannot combine a list of series');
    if (typeof a === 'number' && typeof b === 'number') return op(a, b);
    if (typeof a === 'number')
      return new Map(
        [...(b as Map<number, number>)].map(([t, v]) => [t, op(a, v)]),
      );
    if (typeof b === 'number')
      return new Map([...a].map(([t, v]) => [t, op(v, b)]));
    const out = new Map<number, number>();
    for (const [t, v] of a) if (b.has(t)) out.set(t, op(v, b.get(t)!));
    return out;
  };
  const reduceSeries = (
    list: Map<number, number>[],
    fn: (vs: number[]) => number,
  ) => {
    const times = new Map<number, number[]>();
    for (const s of list)
      for (const [t, v] of s)
        (times.get(t) ?? times.set(t, []).get(t)!).push(v);
    return new Map([...times].map(([t, vs]) => [t, fn(vs)]));
  };
  const fns: Record<string, (args: Value[]) => Value> = {
    METRICS: args => {
      const filter = typeof args[0] === 'string' ? String(args[0]) : undefined;
      return [...env.entries()]
        .filter(([id]) => !filter || id.includes(filter))
        .map(([, s]) => s);
    },
    SUM: ([a]) =>
      Array.isArray(a)
        ? reduceSeries(a, vs => vs.reduce((x, y) => x + y, 0))
        : a,
    AVG: ([a]) =>
      Array.isArray(a)
        ? reduceSeries(a, vs => vs.reduce((x, y) => x + y, 0) / vs.length)
        : a,
    MIN: ([a]) =>
      Array.isArray(a) ? reduceSeries(a, vs => Math.min(...vs)) : a,
    MAX: ([a]) =>
      Array.isArray(a) ? reduceSeries(a, vs => Math.max(...vs)) : a,
    ABS: ([a]) => binary(a, 0, x => Math.abs(x)),
    FILL: ([a, b]) => {
      if (!(a instanceof Map) || typeof b !== 'number')
        throw new Error('FILL(series, number)');
      return a;
    },
  };
  function primary(): Value {
    const t = next();
    if (t === undefined) throw new Error('Unexpected end');
    if (t === '(') {
      const v = sum();
      expect(')');
      return v;
    }
    if (t === '-') return binary(primary(), -1, (x, y) => x * y);
    if (/^\d/.test(t)) return Number(t);
    if (t.startsWith('"')) return t.slice(1, -1) as unknown as number;
    if (peek() === '(') {
      next();
      const args: Value[] = [];
      if (peek() !== ')') {
        args.push(sum());
        while (peek() === ',') {
          next();
          args.push(sum());
        }
      }
      expect(')');
      const fn = fns[t.toUpperCase()];
      if (!fn) throw new Error(`Unsupported function ${t}`);
      return fn(args);
    }
    const series = env.get(t);
    if (!series) throw new Error(`Unknown identifier ${t}`);
    return series;
  }
  function product(): Value {
    let v = primary();
    while (peek() === '*' || peek() === '/') {
      const op = next();
      v = binary(v, primary(), op === '*' ? (x, y) => x * y : (x, y) => x / y);
    }
    return v;
  }
  function sum(): Value {
    let v = product();
    while (peek() === '+' || peek() === '-') {
      const op = next();
      v = binary(v, product(), op === '+' ? (x, y) => x + y : (x, y) => x - y);
    }
    return v;
  }
  const result = sum();
  if (pos !== tokens.length) throw new Error('Syntax error');
  if (Array.isArray(result))
    throw new Error('The expression returns several time series');
  if (typeof result === 'number')
    throw new Error('The expression returns a scalar');
  return result;
}
