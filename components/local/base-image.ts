import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

// The local host's base image, fetched by the project itself: Debian's genericcloud qcow2 and
// the SHA512SUMS published beside it (https://cloud.debian.org/images/cloud/, "How can I verify
// my download": one `sha512sum` line per file). The file is kept with a `.sha512` mark of what
// was verified, so a later run reuses it without touching the network.

/** Debian's cloud image directory for bookworm's newest build; its SHA512SUMS sits beside it. */
export const DEBIAN_IMAGE_SITE = "https://cloud.debian.org/images/cloud/bookworm/latest/";
export const DEBIAN_IMAGE_NAME = "debian-12-genericcloud-amd64.qcow2";
/** Overrides the image site (a mirror, or a test's server on 127.0.0.1). */
export const IMAGE_SITE_ENV = "DOCKERHOST_IMAGE_SITE";

/** The hash SHA512SUMS gives for one file name; `sha512sum` writes "<hex>  <name>" or "<hex> *<name>". */
export function expectedSha512(sums: string, fileName: string, sumsUrl: string): string {
  for (const line of sums.split("\n")) {
    const match = /^([0-9a-fA-F]{128}) [ *](.+)$/.exec(line.trim());
    if (match && match[2] === fileName) return match[1].toLowerCase();
  }
  throw new Error(`local image: ${sumsUrl} has no SHA512 line for ${fileName}`);
}

/** The mark written beside a verified file, in `sha512sum -c` format. */
export function verifiedMark(hash: string, fileName: string): string {
  return `${hash}  ${fileName}\n`;
}

export function markFile(file: string): string {
  return `${file}.sha512`;
}

async function sha512OfFile(file: string): Promise<string> {
  const hash = createHash("sha512");
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest("hex");
}

async function get(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: "follow" });
  } catch (e) {
    const cause = (e as { cause?: { message?: string; code?: string } }).cause;
    throw new Error(
      `local image: cannot fetch ${url}: ${cause?.code ?? cause?.message ?? (e as Error).message}. ` +
        `Check the network, or download it yourself and set localImage (image) to the file`,
    );
  }
  if (!response.ok || !response.body)
    throw new Error(`local image: ${url} answered ${response.status} ${response.statusText}`);
  return response;
}

export type BaseImageOutcome = "reused" | "verified" | "downloaded";

/**
 * Makes sure `file` holds the site's image, verified against the site's SHA512SUMS. A file
 * verified before (its mark matches its content) is reused with no request; a file without a
 * mark is checked against SHA512SUMS; a missing file is downloaded beside it and renamed into
 * place only once its hash matches.
 */
export async function ensureBaseImage(
  file: string,
  site: string,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<BaseImageOutcome> {
  const name = path.basename(file);
  const mark = markFile(file);
  if (fs.existsSync(file) && fs.existsSync(mark)) {
    const marked = fs.readFileSync(mark, "utf8").split(/\s+/)[0];
    if ((await sha512OfFile(file)) === marked) return "reused";
    throw new Error(
      `local image: ${file} no longer matches the hash recorded when it was verified (${mark}); ` +
        `remove both files to fetch it again`,
    );
  }
  const base = site.endsWith("/") ? site : `${site}/`;
  const sumsUrl = new URL("SHA512SUMS", base).href;
  const imageUrl = new URL(name, base).href;
  const expected = expectedSha512(await (await get(sumsUrl)).text(), name, sumsUrl);
  if (fs.existsSync(file)) {
    const actual = await sha512OfFile(file);
    if (actual !== expected)
      throw new Error(
        `local image: ${file} does not match ${sumsUrl} (sha512 ${actual.slice(0, 16)}..., ` +
          `expected ${expected.slice(0, 16)}...); remove it to download the current image`,
      );
    fs.writeFileSync(mark, verifiedMark(actual, name));
    return "verified";
  }

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.part`;
  log(`local image: downloading ${imageUrl}`);
  const response = await get(imageUrl);
  const hash = createHash("sha512");
  const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream);
  body.on("data", (chunk: Buffer) => hash.update(chunk));
  try {
    await pipeline(body, fs.createWriteStream(partial));
  } catch (e) {
    fs.rmSync(partial, { force: true });
    throw new Error(`local image: download of ${imageUrl} broke off: ${(e as Error).message}`);
  }
  const actual = hash.digest("hex");
  if (actual !== expected) {
    fs.rmSync(partial, { force: true });
    throw new Error(
      `local image: ${imageUrl} does not match its line in ${sumsUrl} (sha512 ${actual.slice(0, 16)}..., ` +
        `expected ${expected.slice(0, 16)}...); the download was removed`,
    );
  }
  fs.renameSync(partial, file);
  fs.writeFileSync(mark, verifiedMark(actual, name));
  log(`local image: ${file} verified against ${sumsUrl}`);
  return "downloaded";
}
