import { describe, expect, it } from "@jest/globals";
import {
  HARDENING_PROFILES,
  HARDENING_RULES,
  hardeningRules,
  servicesHardening,
} from "../../components/core/hardening-profile";

// The profile table every room reads (core/hardening-profile.ts): which switch each profile turns
// on, exactly; docs/security.md's item table says the same in words.

const ON_IN: Record<string, string[]> = {
  auditRules: ["baseline", "strict"],
  sshdKeysOnly: ["baseline", "strict"],
  sshdTight: ["strict"],
  containerdConfig: ["baseline", "strict"],
  metadataLockdown: ["baseline", "strict"],
  pidsLimit: ["baseline", "strict"],
  pidsLimitRequired: ["strict"],
  strictOs: ["strict"],
  unattendedUpdates: ["strict"],
  selinuxEnforcingByDefault: ["strict"],
  containersMayReachMetadata: ["off", "baseline"],
  shipsLogsWithIdentity: ["strict"],
  readOnlyRootFsByDefault: ["strict"],
  containerRules: ["strict"],
  swarmAutolock: ["strict"],
  encryptedOverlay: ["strict"],
};

describe("the hardening profiles' table", () => {
  it.each(Object.entries(ON_IN))("%s is on in %j", (rule, profiles) => {
    const on = HARDENING_PROFILES.filter(
      (p) => HARDENING_RULES[p][rule as keyof (typeof HARDENING_RULES)["off"]],
    );
    expect(on).toStrictEqual(profiles);
  });

  it("has exactly these switches in every profile", () => {
    for (const p of HARDENING_PROFILES)
      expect(Object.keys(HARDENING_RULES[p]).sort()).toStrictEqual(Object.keys(ON_IN).sort());
  });

  it("reads an unset profile, and a name that is no profile, as the default (baseline)", () => {
    for (const name of [undefined, "strcit", "constructor", "__proto__"])
      expect(hardeningRules(name)).toBe(HARDENING_RULES.baseline);
    expect(hardeningRules("strict")).toBe(HARDENING_RULES.strict);
  });

  it("gives a host's DockerServices its profile's container defaults", () => {
    expect(servicesHardening("strict")).toStrictEqual({
      readOnlyRootFsByDefault: true,
      strictContainers: true,
    });
    expect(servicesHardening(undefined)).toStrictEqual({
      readOnlyRootFsByDefault: false,
      strictContainers: false,
    });
  });
});
