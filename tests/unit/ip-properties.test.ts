import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import {
  cidrProblem,
  sshAccessProblems,
  WIDEST_SSH_PREFIX,
} from "../../components/core/validate-network";
import { privateAddressProblem } from "../../components/core/private-address";

// Properties of the address and range checks, against ipaddr.js's own reading: a string passes
// only if the library parses it, and a range accepted for SSH without the opt-in is never a public
// block wider than the stated limit (ipaddr.js's own classifier, on addresses drawn from inside it).

const RUNS = Number(process.env.DOCKERHOST_PROPERTY_RUNS ?? 300);
const options = { numRuns: RUNS };

const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join("."));
const v6 = fc.ipV6();
// Ranges near the non-public blocks too: uniformly drawn ones are nearly all public and wide.
const v4Near = fc
  .tuple(fc.constantFrom(0, 10, 100, 127, 169, 172, 192, 224, 240, 255), fc.nat(255), fc.nat(65535))
  .map(([a, b, c]) => `${a}.${b}.${c >> 8}.${c & 255}`);
const v6Near = fc
  .tuple(fc.constantFrom("fc", "fd", "fe8", "fe9", "ff0", "2001:db8", "::ffff", "64:ff9b"), v6)
  .map(
    ([p, rest]) =>
      `${p}${p.length < 4 && !p.includes(":") ? "0" : ""}${rest.replace(/^[^:]*/, "")}`,
  )
  .filter((s) => ipaddr.IPv6.isValid(s));
const cidr = fc.oneof(
  fc.tuple(fc.oneof(v4, v4Near), fc.nat(32)).map(([a, p]) => `${a}/${p}`),
  fc.tuple(fc.oneof(v6, v6Near), fc.nat(128)).map(([a, p]) => `${a}/${p}`),
);
const text = fc.oneof(
  fc.string(),
  fc.stringMatching(/^[0-9a-fA-Fx:.%/ ]{0,24}$/),
  cidr,
  cidr.map((c) => ` ${c}`),
);

/** Addresses inside the range, drawn at random from its host bits. */
function inside(network: ipaddr.IPv4 | ipaddr.IPv6, prefix: number, draws: number[]): string[] {
  const bytes = network.toByteArray();
  return draws.map((seed) =>
    ipaddr
      .fromByteArray(
        bytes.map((b, i) => {
          const fixed = Math.max(0, Math.min(8, prefix - 8 * i));
          const mask = (0xff << (8 - fixed)) & 0xff;
          return (b & mask) | (((seed * (i + 7) * 2654435761) >>> (i % 24)) & ~mask & 0xff);
        }),
      )
      .toString(),
  );
}

describe("property: CIDRs and addresses", () => {
  it("a string passes as a CIDR only if ipaddr.js parses it as one", () => {
    fc.assert(
      fc.property(text, (s) => {
        if (cidrProblem(s) === undefined) expect(ipaddr.isValidCIDR(s)).toBe(true);
      }),
      options,
    );
  });

  it("no CIDR accepted for SSH without the opt-in holds a public range wider than the limit", () => {
    fc.assert(
      fc.property(cidr, fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (c, draws) => {
        if (sshAccessProblems({ sshAllowedCidrs: [c] }).length > 0) return;
        const [network, prefix] = ipaddr.parseCIDR(c);
        if (prefix >= WIDEST_SSH_PREFIX[network.kind()]) return;
        for (const address of inside(network, prefix, draws))
          expect(`${address} in ${c}: ${ipaddr.parse(address).range()}`).not.toMatch(/unicast$/);
      }),
      options,
    );
  });

  it("an address accepted as private is one that ipaddr.js calls private", () => {
    fc.assert(
      fc.property(fc.oneof(v4, v4Near, v6, v6Near, fc.string()), (a) => {
        if (privateAddressProblem(a) !== undefined) return;
        expect(["private", "carrierGradeNat", "uniqueLocal"]).toContain(ipaddr.parse(a).range());
      }),
      options,
    );
  });
});
