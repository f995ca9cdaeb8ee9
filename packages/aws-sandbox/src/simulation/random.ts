/*
 * Deterministic randomness. Everything the sandbox invents (ids, task timings,
 * metric values) comes from here so that a test started with the same seed
 * sees the same world.
 */

/** 32-bit FNV-1a hash of a string, used to derive independent streams. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes integers into a well-distributed 32-bit value (splitmix32 finaliser). */
export function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A value in [0, 1) that depends only on its inputs (stateless noise). */
export function noise(...values: number[]): number {
  return mix(...values) / 0x100000000;
}

/**
 * A seeded generator whose position is part of the persisted state, so a
 * restarted sandbox continues the same sequence instead of repeating ids.
 */
export class Random {
  private state: number;
  /** How many values were drawn; persisted to resume the sequence. */
  position = 0;

  constructor(seed: number, position = 0) {
    this.state = (seed >>> 0) ^ 0x6d2b79f5;
    for (let i = 0; i < position; i++) this.nextUint32();
  }

  nextUint32(): number {
    this.position++;
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  next(): number {
    return this.nextUint32() / 0x100000000;
  }

  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      out += this.nextUint32().toString(16).padStart(8, '0');
    }
    return out.slice(0, length);
  }

  /** Upper-case letters and digits, like access key ids. */
  alnum(length: number): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let out = '';
    for (let i = 0; i < length; i++) out += chars[this.nextUint32() % 32];
    return out;
  }

  /** Decimal digits, like CloudWatch Logs event ids. */
  digits(length: number): string {
    let out = '';
    while (out.length < length) {
      out += String(this.nextUint32() % 1000000000).padStart(9, '0');
    }
    return out.slice(0, length);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
      17,
      20,
    )}-${h.slice(20, 32)}`;
  }
}
