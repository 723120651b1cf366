import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parseCidr, parseIp } from "../../components/core/ip";
import { readDoc } from "../support/docs-page";

// The stack files we ship must deploy as written once the setup steps of docs/getting-started.md are done: no image that
// does not exist (a placeholder registry), and no documentation-range address (RFC 5737, RFC 3849)
// except where those steps overwrite it.

const root = path.join(__dirname, "..", "..");
// The setup steps are those of docs/getting-started.md (and docs/local.md for the local stack).
const readme = readDoc("getting-started.md") + readDoc("local.md");
const stacks = fs.readdirSync(root).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
const DOCUMENTATION = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"].map(
  (c) => parseCidr(c)!,
);

/** Every string leaf with its path, e.g. ["dockerhost:containers[0].image", "nginx:1.27"]. */
function leaves(value: unknown, at: string): [string, string][] {
  if (typeof value === "string") return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${at}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => leaves(v, at ? `${at}.${k}` : k));
  return [];
}

function isDocumentation(text: string): boolean {
  const cidr =
    parseCidr(text) ??
    (parseIp(text) ? parseCidr(`${text}/${text.includes(":") ? 128 : 32}`) : undefined);
  if (!cidr) return false;
  return DOCUMENTATION.some(
    (d) =>
      d.address.kind() === cidr.address.kind() &&
      cidr.prefix >= d.prefix &&
      cidr.address.match(d.address, d.prefix),
  );
}

/** Keys the setup steps set (`pulumi config set [--path] '<key>'`). */
const setByReadme = new Set(
  [...readme.matchAll(/pulumi config set (?:--secret )?(?:--path )?'?([A-Za-z[\].0-9]+)'?/g)].map(
    (m) => `dockerhost:${m[1]}`,
  ),
);

describe.each(stacks)("the shipped stack %s", (file) => {
  const config = (parse(fs.readFileSync(path.join(root, file), "utf8")) as { config: object })
    .config;
  const all = leaves(config, "");

  it("names only images that exist (no placeholder registry or repository)", () => {
    const placeholders = all.filter(
      ([at, v]) => /\.image$/.test(at) && /(^|[./])example([./:-]|$)/.test(v),
    );
    expect(placeholders).toStrictEqual([]);
  });

  it("holds a documentation-range address only where the setup steps overwrite it", () => {
    const left = all.filter(([at, v]) => isDocumentation(v) && !setByReadme.has(at));
    expect(left).toStrictEqual([]);
  });
});

describe("the setup steps of docs/getting-started.md", () => {
  it("set the SSH range and key that the stack files hold as placeholders", () => {
    expect(setByReadme.has("dockerhost:sshAllowedCidrs[0]")).toBe(true);
    expect(setByReadme.has("dockerhost:sshPublicKey")).toBe(true);
  });
});
