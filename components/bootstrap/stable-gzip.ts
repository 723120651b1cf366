// A gzip encoder whose output depends only on its input. User-data is compared byte for byte
// between deploys, and a change replaces the VM; zlib's output varies with its build (Node
// bundles a fork with CPU-specific match finders) and the gzip header names the OS. So this
// encoder is our own: greedy LZ77 matching and deflate's fixed Huffman codes (RFC 1951 3.2.6),
// in a gzip member with no name and no timestamp (RFC 1952). `gunzip` reads it.

const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MAX_CHAIN = 128;

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
  163, 195, 227, 258,
];
const LENGTH_EXTRA = [
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
  3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];

class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private count = 0;

  /** Writes the low `length` bits of value, least significant first (deflate's bit order). */
  bits(value: number, length: number): void {
    for (let i = 0; i < length; i++) {
      this.current |= ((value >> i) & 1) << this.count;
      if (++this.count === 8) this.flushByte();
    }
  }

  /** Huffman codes go most significant bit first. */
  code(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bits((value >> i) & 1, 1);
  }

  finish(): Buffer {
    if (this.count) this.flushByte();
    return Buffer.from(this.bytes);
  }

  private flushByte(): void {
    this.bytes.push(this.current);
    this.current = 0;
    this.count = 0;
  }
}

function literalOrLength(out: BitWriter, symbol: number): void {
  if (symbol < 144) out.code(0x30 + symbol, 8);
  else if (symbol < 256) out.code(0x190 + symbol - 144, 9);
  else if (symbol < 280) out.code(symbol - 256, 7);
  else out.code(0xc0 + symbol - 280, 8);
}

function lastIndexAtMost(table: number[], value: number): number {
  let i = table.length - 1;
  while (table[i] > value) i--;
  return i;
}

function writeMatch(out: BitWriter, length: number, distance: number): void {
  const li = lastIndexAtMost(LENGTH_BASE, length);
  literalOrLength(out, 257 + li);
  out.bits(length - LENGTH_BASE[li], LENGTH_EXTRA[li]);
  const di = lastIndexAtMost(DIST_BASE, distance);
  out.code(di, 5);
  out.bits(distance - DIST_BASE[di], DIST_EXTRA[di]);
}

function deflateFixed(input: Buffer): Buffer {
  const out = new BitWriter();
  out.bits(1, 1); // the final block
  out.bits(1, 2); // fixed Huffman codes
  const heads = new Map<number, number[]>();
  const key = (i: number) => (input[i] << 16) | (input[i + 1] << 8) | input[i + 2];
  const remember = (i: number) => {
    if (i + MIN_MATCH > input.length) return;
    const k = key(i);
    const chain = heads.get(k);
    if (chain) chain.push(i);
    else heads.set(k, [i]);
  };
  let pos = 0;
  while (pos < input.length) {
    let bestLength = 0;
    let bestDistance = 0;
    const chain = pos + MIN_MATCH <= input.length ? heads.get(key(pos)) : undefined;
    if (chain) {
      for (let c = chain.length - 1, seen = 0; c >= 0 && seen < MAX_CHAIN; c--, seen++) {
        const candidate = chain[c];
        if (pos - candidate > WINDOW) break;
        let length = 0;
        const limit = Math.min(MAX_MATCH, input.length - pos);
        while (length < limit && input[candidate + length] === input[pos + length]) length++;
        if (length > bestLength) {
          bestLength = length;
          bestDistance = pos - candidate;
          if (length === limit) break;
        }
      }
    }
    if (bestLength >= MIN_MATCH) {
      writeMatch(out, bestLength, bestDistance);
      for (let i = 0; i < bestLength; i++) remember(pos + i);
      pos += bestLength;
    } else {
      literalOrLength(out, input[pos]);
      remember(pos);
      pos += 1;
    }
  }
  literalOrLength(out, 256); // end of block
  return out.finish();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(input: Buffer): number {
  let c = 0xffffffff;
  for (const byte of input) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** gzip of the input, the same bytes on every machine and Node version. */
export function stableGzip(input: Buffer): Buffer {
  // Magic, deflate, no flags, mtime 0, no extra flags, OS "unix" (3).
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(input), 0);
  trailer.writeUInt32LE(input.length >>> 0, 4);
  return Buffer.concat([header, deflateFixed(input), trailer]);
}
