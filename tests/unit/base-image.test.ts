import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import {
  DEBIAN_IMAGE_NAME,
  ensureBaseImage,
  expectedSha512,
  markFile,
} from "../../components/local/base-image";
import { freePort } from "../support/guest-boot";
import { serveDirectory, type FileSite } from "../support/file-site";

// The local image's fetch: SHA512SUMS read as `sha512sum` writes it, the download verified
// before it is renamed into place, a verified file reused without a request. The site is a
// server on 127.0.0.1 serving a directory laid out like Debian's.

const sha512 = (data: string | Buffer): string => createHash("sha512").update(data).digest("hex");
const IMAGE = Buffer.from("qcow2 stand-in\n".repeat(1000));
const A = "a".repeat(128);
const B = "b".repeat(128);

describe("expectedSha512", () => {
  const url = "https://cloud.debian.org/images/cloud/bookworm/latest/SHA512SUMS";
  const cases: [string, string, string | Error][] = [
    ["text mode line", `${A}  other.raw\n${B}  ${DEBIAN_IMAGE_NAME}\n`, B],
    ["binary mode line", `${B} *${DEBIAN_IMAGE_NAME}\n`, B],
    ["upper-case hex", `${B.toUpperCase()}  ${DEBIAN_IMAGE_NAME}\n`, B],
    [
      "a longer name that ends the same is not it",
      `${A}  x-${DEBIAN_IMAGE_NAME}\n`,
      new Error(`local image: ${url} has no SHA512 line for ${DEBIAN_IMAGE_NAME}`),
    ],
    [
      "a short hash is not a line",
      `${"a".repeat(64)}  ${DEBIAN_IMAGE_NAME}\n`,
      new Error(`local image: ${url} has no SHA512 line for ${DEBIAN_IMAGE_NAME}`),
    ],
    [
      "an HTML error page",
      "<html>Not here</html>",
      new Error(`local image: ${url} has no SHA512 line for ${DEBIAN_IMAGE_NAME}`),
    ],
  ];
  it.each(cases)("%s", (_name, sums, expected) => {
    if (expected instanceof Error)
      expect(() => expectedSha512(sums, DEBIAN_IMAGE_NAME, url)).toThrow(expected);
    else expect(expectedSha512(sums, DEBIAN_IMAGE_NAME, url)).toBe(expected);
  });
});

describe("ensureBaseImage against a site on 127.0.0.1", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-image-"));
  const siteDir = path.join(work, "site");
  const cache = path.join(work, "cache");
  const file = path.join(cache, DEBIAN_IMAGE_NAME);
  let site: FileSite;
  const logs: string[] = [];
  const fetchIt = () => ensureBaseImage(file, site.url, (l) => logs.push(l));
  const publish = (sums: string) => fs.writeFileSync(path.join(siteDir, "SHA512SUMS"), sums);

  beforeAll(async () => {
    fs.mkdirSync(siteDir);
    fs.writeFileSync(path.join(siteDir, DEBIAN_IMAGE_NAME), IMAGE);
    site = await serveDirectory(siteDir);
  });
  afterAll(async () => {
    await site.close();
    fs.rmSync(work, { recursive: true, force: true });
  });
  beforeEach(() => {
    fs.rmSync(cache, { recursive: true, force: true });
    site.requests.length = 0;
    logs.length = 0;
    publish(`${A}  other.qcow2\n${sha512(IMAGE)}  ${DEBIAN_IMAGE_NAME}\n`);
  });

  it("downloads, verifies and marks the image; a second call reuses it with no request", async () => {
    expect(await fetchIt()).toBe("downloaded");
    expect(site.requests).toStrictEqual(["/SHA512SUMS", `/${DEBIAN_IMAGE_NAME}`]);
    expect(fs.readFileSync(file).equals(IMAGE)).toBe(true);
    expect(fs.readFileSync(markFile(file), "utf8")).toBe(
      `${sha512(IMAGE)}  ${DEBIAN_IMAGE_NAME}\n`,
    );
    expect(fs.readdirSync(cache).sort()).toStrictEqual(
      [DEBIAN_IMAGE_NAME, `${DEBIAN_IMAGE_NAME}.sha512`].sort(),
    );
    expect(logs).toStrictEqual([
      `local image: downloading ${site.url}${DEBIAN_IMAGE_NAME}`,
      `local image: ${file} verified against ${site.url}SHA512SUMS`,
    ]);

    site.requests.length = 0;
    // Even a site that moved on (a new "latest") does not make a verified file download again.
    publish(`${A}  ${DEBIAN_IMAGE_NAME}\n`);
    expect(await fetchIt()).toBe("reused");
    expect(site.requests).toStrictEqual([]);
  });

  it("removes a download that does not match SHA512SUMS and says so", async () => {
    publish(`${A}  ${DEBIAN_IMAGE_NAME}\n`);
    await expect(fetchIt()).rejects.toThrow(
      new Error(
        `local image: ${site.url}${DEBIAN_IMAGE_NAME} does not match its line in ${site.url}SHA512SUMS ` +
          `(sha512 ${sha512(IMAGE).slice(0, 16)}..., expected ${"a".repeat(16)}...); the download was removed`,
      ),
    );
    expect(fs.readdirSync(cache)).toStrictEqual([]);
  });

  it("refuses before downloading when SHA512SUMS has no line for the image", async () => {
    publish(`${A}  other.qcow2\n`);
    await expect(fetchIt()).rejects.toThrow(
      new Error(`local image: ${site.url}SHA512SUMS has no SHA512 line for ${DEBIAN_IMAGE_NAME}`),
    );
    expect(site.requests).toStrictEqual(["/SHA512SUMS"]);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("names the URL that answered with an error", async () => {
    fs.rmSync(path.join(siteDir, "SHA512SUMS"));
    await expect(fetchIt()).rejects.toThrow(
      new Error(`local image: ${site.url}SHA512SUMS answered 404 Not Found`),
    );
  });

  it("names the URL it could not reach", async () => {
    const closed = `http://127.0.0.1:${await freePort()}/`;
    await expect(ensureBaseImage(file, closed, () => undefined)).rejects.toThrow(
      new Error(
        `local image: cannot fetch ${closed}SHA512SUMS: ECONNREFUSED. ` +
          "Check the network, or download it yourself and set localImage (image) to the file",
      ),
    );
  });

  it("checks a file that was there before against SHA512SUMS, then marks it", async () => {
    fs.mkdirSync(cache, { recursive: true });
    fs.writeFileSync(file, IMAGE);
    expect(await fetchIt()).toBe("verified");
    expect(site.requests).toStrictEqual(["/SHA512SUMS"]);
    expect(fs.existsSync(markFile(file))).toBe(true);
  });

  it("refuses a file that was there before and does not match, and keeps it", async () => {
    fs.mkdirSync(cache, { recursive: true });
    fs.writeFileSync(file, "something else");
    await expect(fetchIt()).rejects.toThrow(
      new Error(
        `local image: ${file} does not match ${site.url}SHA512SUMS (sha512 ${sha512("something else").slice(0, 16)}..., ` +
          `expected ${sha512(IMAGE).slice(0, 16)}...); remove it to download the current image`,
      ),
    );
    expect(fs.readFileSync(file, "utf8")).toBe("something else");
  });

  it("refuses a verified file whose content changed since", async () => {
    expect(await fetchIt()).toBe("downloaded");
    fs.appendFileSync(file, "tampered");
    await expect(fetchIt()).rejects.toThrow(
      new Error(
        `local image: ${file} no longer matches the hash recorded when it was verified (${markFile(file)}); ` +
          "remove both files to fetch it again",
      ),
    );
  });
});
