/*
 * A YAML reader for CloudFormation templates. toolkit-lib (like the CDK CLI)
 * sends templates as YAML 1.1, so the sandbox must read it; hand-written
 * templates also use the short-form tags (!Ref, !GetAtt, !Sub, ...). This
 * covers block mappings and sequences, flow collections, quoted, plain and
 * block scalars, comments and CloudFormation tags (no anchors or aliases).
 */

export class YamlError extends Error {}

const TAGS_NO_PREFIX = new Set(['Ref', 'Condition']);

function wrapTag(tag: string, value: unknown): unknown {
  const name = tag.slice(1);
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [TAGS_NO_PREFIX.has(name) ? name : `Fn::${name}`]: value };
}

function plainScalar(text: string): unknown {
  const t = text.trim();
  if (t === '' || t === '~' || t === 'null' || t === 'Null' || t === 'NULL')
    return null;
  if (/^(true|True|TRUE|yes|Yes|YES|on|On|ON)$/.test(t)) return true;
  if (/^(false|False|FALSE|no|No|NO|off|Off|OFF)$/.test(t)) return false;
  if (/^[-+]?(0|[1-9][0-9_]*)$/.test(t)) {
    const n = Number(t.replace(/_/g, ''));
    if (Number.isSafeInteger(n)) return n;
  }
  if (
    /^[-+]?(\d[\d_]*)?\.\d+([eE][-+]?\d+)?$/.test(t) ||
    /^[-+]?\d+[eE][-+]?\d+$/.test(t)
  ) {
    return Number(t.replace(/_/g, ''));
  }
  if (/^0x[0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  return t;
}

function unescapeDouble(s: string): string {
  return s.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g,
    (_m, e: string) => {
      switch (e[0]) {
        case 'n':
          return '\n';
        case 't':
          return '\t';
        case 'r':
          return '\r';
        case '0':
          return '\0';
        case '"':
          return '"';
        case '\\':
          return '\\';
        case '/':
          return '/';
        case ' ':
          return ' ';
        case 'x':
        case 'u':
        case 'U':
          return String.fromCodePoint(parseInt(e.slice(1), 16));
        default:
          return e;
      }
    },
  );
}

/** Strips a trailing " # comment" outside quotes. */
function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      } else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s[{,:]/.test(text[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      return text.slice(0, i).trimEnd();
    }
  }
  return text.trimEnd();
}

/** Splits "key: rest" at the first ": " outside quotes and brackets. */
function splitKey(text: string): { key: string; rest: string } | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      } else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if ((c === '"' || c === "'") && i === 0) quote = c;
    else if (c === '[' || c === '{') {
      if (i === 0) return undefined;
      depth++;
    } else if (c === ']' || c === '}') depth--;
    else if (
      c === ':' &&
      depth === 0 &&
      (i + 1 === text.length || text[i + 1] === ' ' || text[i + 1] === '\t')
    ) {
      let key = text.slice(0, i).trim();
      if (key.startsWith('"') && key.endsWith('"'))
        key = unescapeDouble(key.slice(1, -1));
      else if (key.startsWith("'") && key.endsWith("'"))
        key = key.slice(1, -1).replace(/''/g, "'");
      return { key, rest: text.slice(i + 1).trim() };
    }
  }
  return undefined;
}

class FlowParser {
  pos = 0;
  constructor(private readonly s: string) {}

  private ws() {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++;
  }

  value(): unknown {
    this.ws();
    const c = this.s[this.pos];
    if (c === '!') {
      const m = /^![A-Za-z]+/.exec(this.s.slice(this.pos))!;
      this.pos += m[0].length;
      return wrapTag(m[0], this.value());
    }
    if (c === '[') {
      this.pos++;
      const out: unknown[] = [];
      this.ws();
      if (this.s[this.pos] === ']') {
        this.pos++;
        return out;
      }
      for (;;) {
        out.push(this.value());
        this.ws();
        const d = this.s[this.pos++];
        if (d === ']') return out;
        if (d !== ',') throw new YamlError('Expected , or ] in flow sequence');
      }
    }
    if (c === '{') {
      this.pos++;
      const out: Record<string, unknown> = {};
      this.ws();
      if (this.s[this.pos] === '}') {
        this.pos++;
        return out;
      }
      for (;;) {
        const key = String(this.scalar(true));
        this.ws();
        if (this.s[this.pos] !== ':')
          throw new YamlError('Expected : in flow mapping');
        this.pos++;
        out[key] = this.value();
        this.ws();
        const d = this.s[this.pos++];
        if (d === '}') return out;
        if (d !== ',') throw new YamlError('Expected , or } in flow mapping');
      }
    }
    return this.scalar(false);
  }

  scalar(isKey: boolean): unknown {
    this.ws();
    const c = this.s[this.pos];
    if (c === '"') {
      let i = this.pos + 1;
      while (i < this.s.length && this.s[i] !== '"')
        i += this.s[i] === '\\' ? 2 : 1;
      const raw = this.s.slice(this.pos + 1, i);
      this.pos = i + 1;
      return unescapeDouble(raw);
    }
    if (c === "'") {
      let i = this.pos + 1;
      for (;;) {
        if (i >= this.s.length) throw new YamlError('Unterminated string');
        if (this.s[i] === "'") {
          if (this.s[i + 1] === "'") i += 2;
          else break;
        } else i++;
      }
      const raw = this.s.slice(this.pos + 1, i);
      this.pos = i + 1;
      return raw.replace(/''/g, "'");
    }
    let i = this.pos;
    while (
      i < this.s.length &&
      !/[,\]}]/.test(this.s[i]) &&
      !(isKey && this.s[i] === ':')
    )
      i++;
    const raw = this.s.slice(this.pos, i);
    this.pos = i;
    return isKey ? raw.trim() : plainScalar(raw);
  }
}

function parseFlow(text: string): unknown {
  const p = new FlowParser(text);
  const v = p.value();
  if (text.slice(p.pos).trim() !== '')
    throw new YamlError('Unexpected content after flow collection');
  return v;
}

/** Index of the quote closing a single-quoted scalar at the start, or -1. */
function singleQuoteEnd(text: string): number {
  for (let k = 1; k < text.length; k++) {
    if (text[k] === "'") {
      if (text[k + 1] === "'") k++;
      else return k;
    }
  }
  return -1;
}

export function parseYaml(src: string): unknown {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const isBlank = (l: string) => l.trim() === '' || l.trim().startsWith('#');

  const skipBlank = () => {
    while (i < lines.length && (isBlank(lines[i]) || lines[i].trim() === '---'))
      i++;
  };

  function blockScalar(indicator: string, parentIndent: number): string {
    const folded = indicator.startsWith('>');
    let chomp = 'clip';
    if (indicator.includes('-')) chomp = 'strip';
    else if (indicator.includes('+')) chomp = 'keep';
    const body: string[] = [];
    let blockIndent = -1;
    while (i < lines.length) {
      const l = lines[i];
      if (l.trim() === '') {
        body.push('');
        i++;
        continue;
      }
      const ind = indentOf(l);
      if (ind <= parentIndent) break;
      if (blockIndent < 0) blockIndent = ind;
      if (ind < blockIndent) break;
      body.push(l.slice(blockIndent));
      i++;
    }
    let trailing = 0;
    while (body.length && body[body.length - 1] === '') {
      body.pop();
      trailing++;
    }
    let text = folded
      ? body.reduce(
          (acc, l, k) =>
            k === 0
              ? l
              : acc + (l === '' || body[k - 1] === '' ? '\n' : ' ') + l,
          '',
        )
      : body.join('\n');
    if (chomp === 'clip' && body.length) text += '\n';
    if (chomp === 'keep') text += '\n'.repeat(trailing + 1);
    return text;
  }

  function inlineValue(rest: string, indent: number): unknown {
    let text = stripComment(rest);
    if (text.startsWith('!')) {
      const m = /^(![A-Za-z]+)\s*(.*)$/.exec(text)!;
      const tag = m[1];
      const after = m[2];
      if (after === '') {
        skipBlank();
        const next = i < lines.length ? lines[i] : '';
        const deeper =
          indentOf(next) > indent ||
          (indentOf(next) === indent && next.trimStart().startsWith('- '));
        return wrapTag(tag, deeper ? node(indentOf(next)) : null);
      }
      return wrapTag(tag, inlineValue(after, indent));
    }
    if (/^[|>][-+]?\d*$/.test(text)) return blockScalar(text, indent);
    if (text.startsWith('[') || text.startsWith('{')) {
      // Flow collections may continue on following lines.
      while (!balanced(text) && i < lines.length)
        text += ` ${stripComment(lines[i++].trim())}`;
      return parseFlow(text);
    }
    if (text.startsWith('"')) {
      while (!/(^|[^\\])(\\\\)*"$/.test(text.slice(1)) && i < lines.length) {
        text += ` ${lines[i++].trim()}`;
      }
      return unescapeDouble(text.slice(1, -1));
    }
    if (text.startsWith("'")) {
      while (singleQuoteEnd(text) < 0 && i < lines.length) {
        text += ` ${lines[i++].trim()}`;
      }
      const end = singleQuoteEnd(text);
      if (end < 0) throw new YamlError('Unterminated string');
      return text.slice(1, end).replace(/''/g, "'");
    }
    // Plain scalars may continue on more-indented lines.
    while (
      i < lines.length &&
      !isBlank(lines[i]) &&
      indentOf(lines[i]) > indent &&
      !splitKey(lines[i].trim())
    ) {
      text += ` ${stripComment(lines[i++].trim())}`;
    }
    return plainScalar(text);
  }

  function balanced(text: string): boolean {
    let depth = 0;
    let quote: string | undefined;
    for (const c of text) {
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '[' || c === '{') depth++;
      else if (c === ']' || c === '}') depth--;
    }
    return depth <= 0;
  }

  function sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      skipBlank();
      if (i >= lines.length) break;
      const l = lines[i];
      const ind = indentOf(l);
      const t = l.trimStart();
      if (ind !== indent || !(t === '-' || t.startsWith('- '))) break;
      const rest = t.slice(1).trimStart();
      if (rest === '' || rest.startsWith('#')) {
        i++;
        skipBlank();
        out.push(
          i < lines.length && indentOf(lines[i]) > indent
            ? node(indentOf(lines[i]))
            : null,
        );
        continue;
      }
      // Treat "- x" as x placed at the item's column.
      const col = l.length - rest.length;
      lines[i] = ' '.repeat(col) + rest;
      out.push(node(col));
    }
    return out;
  }

  function mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      skipBlank();
      if (i >= lines.length) break;
      const l = lines[i];
      const ind = indentOf(l);
      if (ind !== indent) {
        if (ind > indent)
          throw new YamlError(`Bad indentation at line ${i + 1}`);
        break;
      }
      const kv = splitKey(stripComment(l.trim()));
      if (!kv) break;
      i++;
      if (kv.rest === '') {
        skipBlank();
        const next = i < lines.length ? lines[i] : '';
        const nind = indentOf(next);
        if (i < lines.length && nind > indent) out[kv.key] = node(nind);
        else if (
          i < lines.length &&
          nind === indent &&
          /^-( |$)/.test(next.trimStart())
        )
          out[kv.key] = sequence(indent);
        else out[kv.key] = null;
      } else {
        out[kv.key] = inlineValue(kv.rest, indent);
      }
    }
    return out;
  }

  function node(indent: number): unknown {
    skipBlank();
    if (i >= lines.length) return null;
    const t = lines[i].trimStart();
    if (t === '-' || t.startsWith('- ')) return sequence(indent);
    if (splitKey(stripComment(t))) return mapping(indent);
    i++;
    return inlineValue(t, indent);
  }

  skipBlank();
  if (i >= lines.length) return null;
  const result = node(indentOf(lines[i]));
  skipBlank();
  if (i < lines.length && lines[i].trim() !== '...') {
    throw new YamlError(`Unexpected content at line ${i + 1}`);
  }
  return result;
}
