import { describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as path from "node:path";
import { EDGE_IMAGE } from "../../components/services/edge-config";

// The VM tests' edge runs the Caddy that caddy/go.mod pins (scripts/caddy.sh builds it); real
// hosts run EDGE_IMAGE. A proof on one release says nothing about another: the two move together.

const goMod = fs.readFileSync(path.join(__dirname, "..", "..", "caddy", "go.mod"), "utf8");

describe("the edge's Caddy", () => {
  it("is built at the release of the edge's image on real hosts", () => {
    const required = /^require github\.com\/caddyserver\/caddy\/v2 (v\S+)$/m.exec(goMod)?.[1];
    const tag = /^caddy:([^@]+)@sha256:[0-9a-f]{64}$/.exec(EDGE_IMAGE)?.[1];
    expect(required).toBe("v2.10.2");
    expect(tag).toBe("2.10.2");
    expect(required).toBe(`v${tag}`);
  });
});
