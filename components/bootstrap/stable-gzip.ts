import { gzipSync } from "fflate";

// A gzip whose bytes depend only on its input. User-data is compared byte for byte between
// deploys, and a change replaces the VM; zlib's output varies with its build (Node bundles a fork
// with CPU-specific match finders) and its header can name the OS and a time. fflate is pure
// JavaScript, pinned in package-lock.json, so every deployer gets the same bytes; the options fix
// the rest: no file name, a zero timestamp, and the level and memory given rather than guessed
// from the input's size.

export function stableGzip(data: Buffer): Buffer {
  return Buffer.from(gzipSync(data, { level: 9, mem: 8, mtime: 0 }));
}
