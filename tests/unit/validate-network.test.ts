import { describe, expect, it } from "@jest/globals";
import { cidrProblem, cidrSlug, sshAccessProblems } from "../../components/core/validate-network";
import { isNonPublicRange, isPrivateAddress, parseCidr, parseIp } from "../../components/core/ip";
import { ec2InstanceArch, instanceTypeProblems } from "../../components/aws/instance-types";

describe("sshAccessProblems", () => {
  const cases: [string, Parameters<typeof sshAccessProblems>[0], string[]][] = [
    ["one address", { sshAllowedCidrs: ["203.0.113.7/32"] }, []],
    ["IPv6", { sshAllowedCidrs: ["2001:db8::/48"] }, []],
    [
      "none",
      { sshAllowedCidrs: [] },
      [
        "sshAllowedCidrs: empty. The deployer reaches the host over SSH; name the ranges it connects from (your workstation's address as \"203.0.113.7/32\", or your CI runners' egress range).",
      ],
    ],
    [
      "the world",
      { sshAllowedCidrs: ["0.0.0.0/0"] },
      [
        'sshAllowedCidrs[0]: "0.0.0.0/0" opens SSH to the whole internet. Name your own ranges (e.g. "203.0.113.7/32"), or set allowSshFromAnywhere: true to accept that risk.',
      ],
    ],
    [
      "the IPv6 world",
      { sshAllowedCidrs: ["::/0"] },
      [
        'sshAllowedCidrs[0]: "::/0" opens SSH to the whole internet. Name your own ranges (e.g. "203.0.113.7/32"), or set allowSshFromAnywhere: true to accept that risk.',
      ],
    ],
    ["the world, opted in", { sshAllowedCidrs: ["0.0.0.0/0"], allowSshFromAnywhere: true }, []],
    ...[
      ["1.2.3.4/0", "the whole internet"],
      ["::0/0", "the whole internet"],
      ["0::/0", "the whole internet"],
      ["::/0", "the whole internet"],
      [
        "1.0.0.0/8",
        "a /8 of the public internet (wider than a /16, the widest range dockerhost opens SSH to without the opt-in)",
      ],
      [
        "172.0.0.0/11",
        "a /11 of the public internet (wider than a /16, the widest range dockerhost opens SSH to without the opt-in)",
      ],
      [
        "2001:db8::/32",
        "a /32 of the public internet (wider than a /48, the widest range dockerhost opens SSH to without the opt-in)",
      ],
    ].map(([cidr, what]): [string, { sshAllowedCidrs: string[] }, string[]] => [
      `too wide: ${cidr}`,
      { sshAllowedCidrs: [cidr] },
      [
        `sshAllowedCidrs[0]: ${JSON.stringify(cidr)} opens SSH to ${what}. Name your own ranges (e.g. "203.0.113.7/32"), or set allowSshFromAnywhere: true to accept that risk.`,
      ],
    ]),
    ["a /16 is not too wide", { sshAllowedCidrs: ["198.51.0.0/16"] }, []],
    ["a private /8 reaches no internet host", { sshAllowedCidrs: ["10.0.0.0/8"] }, []],
    ["a unique-local /7", { sshAllowedCidrs: ["fc00::/7"] }, []],
    ["a /48", { sshAllowedCidrs: ["2001:db8:1::/48"] }, []],
    ["wide, opted in", { sshAllowedCidrs: ["1.2.3.4/0"], allowSshFromAnywhere: true }, []],
    ...[
      "",
      ":/64",
      "1.2.3.4/33",
      "::/129",
      "127.1/32",
      "0x7f.0.0.1/32",
      "010.0.0.1/8",
      "10.0.0.1/08",
      "fe80::1%eth0/64",
      "10.0.0.0/",
      "/8",
      "10.0.0.0/8/8",
      "1.2.3.4 /32",
    ].map((cidr): [string, { sshAllowedCidrs: string[] }, string[]] => [
      `junk ${JSON.stringify(cidr)}`,
      { sshAllowedCidrs: [cidr] },
      [`sshAllowedCidrs[0]: ${JSON.stringify(cidr)} is not a CIDR. Use e.g. "203.0.113.7/32".`],
    ]),
    [
      "a bare address",
      { sshAllowedCidrs: ["203.0.113.7"] },
      ['sshAllowedCidrs[0]: "203.0.113.7" is not a CIDR. Use e.g. "203.0.113.7/32".'],
    ],
    [
      "a bad octet",
      { sshAllowedCidrs: ["203.0.113.700/32"] },
      ['sshAllowedCidrs[0]: "203.0.113.700/32" is not a CIDR. Use e.g. "203.0.113.7/32".'],
    ],
  ];
  for (const [what, access, expected] of cases)
    it(what, () => expect(sshAccessProblems(access)).toStrictEqual(expected));

  it("names CIDRs stably", () => {
    expect(cidrSlug("203.0.113.7/32")).toBe("203-0-113-7-32");
    expect(cidrSlug("2001:db8::/48")).toBe("2001-db8-48");
    expect(cidrProblem("10.0.0.0/8")).toBe(undefined);
  });
});

describe("EC2 instance types", () => {
  const cases: [string, string | undefined][] = [
    ["t3.small", "x86_64"],
    ["t4g.small", "arm64"],
    ["m7gd.large", "arm64"],
    ["c6gn.xlarge", "arm64"],
    ["im4gn.large", "arm64"],
    ["a1.medium", "arm64"],
    ["g4dn.xlarge", "x86_64"],
    ["m6i.large", "x86_64"],
    ["m7i-flex.large", "x86_64"],
    ["r8g.medium", "arm64"],
    ["mac1.metal", "x86_64"],
    ["mac2.metal", "arm64"],
    ["mac2-m2.metal", "arm64"],
    ["mac2-m2pro.metal", "arm64"],
    ["mac2-m1ultra.metal", "arm64"],
    ["mac-m4.metal", "arm64"],
    ["not-a-type", undefined],
  ];
  for (const [type, arch] of cases)
    it(`${type} is ${arch}`, () => expect(ec2InstanceArch(type)).toBe(arch));
  it("explains a mismatch", () => {
    expect(instanceTypeProblems("t4g.small", "x86_64")).toStrictEqual([
      'instanceType: t4g.small is an arm64 type but arch is x86_64. Use an x86_64 type such as t3.small, or set arch: "arm64".',
    ]);
    expect(instanceTypeProblems("large", "x86_64")).toStrictEqual([
      'instanceType: "large" is not an EC2 instance type. Use e.g. "t3.small".',
    ]);
  });
  it("refuses EC2 Mac instances (macOS only)", () => {
    expect(instanceTypeProblems("mac2.metal", "arm64")).toStrictEqual([
      'instanceType: mac2.metal is an EC2 Mac instance, which runs macOS only; dockerhost hosts run Linux. Use e.g. "t4g.small".',
    ]);
  });
});

describe("addresses and ranges, parsed", () => {
  it.each([
    ["fc::1", false],
    ["fd::1", false],
    ["fc0::1", false],
    ["fc00::1", true],
    ["fd12:3456::1", true],
    ["10.1.2.3", true],
    ["100.64.0.1", true],
    ["100.128.0.1", false],
    ["::ffff:10.0.0.1", false],
  ])("%s is private: %s", (text, expected) => {
    const address = parseIp(text);
    expect(address).toBeDefined();
    expect(isPrivateAddress(address!)).toBe(expected);
  });

  it.each(["127.1", "0x7f.0.0.1", "010.0.0.1", "fe80::1%eth0", "", "1.2.3", ":"])(
    "%j is no address",
    (text) => expect(parseIp(text)).toBeUndefined(),
  );

  it.each([
    ["10.0.0.0/8", true],
    ["192.168.0.0/15", false],
    ["224.0.0.0/3", true],
    ["0.0.0.0/0", false],
    ["fe80::/10", true],
    ["fc00::/6", false],
  ])("%s holds no public address: %s", (text, expected) => {
    expect(isNonPublicRange(parseCidr(text)!)).toBe(expected);
  });
});
