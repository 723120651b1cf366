import { isDeepStrictEqual } from "node:util";
import type { Json } from "./config-reader";

// The Pulumi CLI refuses a stack that lacks a key Pulumi.yaml declares without a default ("Stack
// 'local' is missing configuration values ...": pulumi/pulumi sdk/go/common/workspace/config.go,
// mergeConfig, which only skips a declared key when the stack sets it or the project gives it a
// `default` or `value`). So every optional key declares a default, and the CLI then hands that
// default to the program as if the stack had set it. These are the defaults that mean "not set":
// the stack reads a key holding exactly one of them as absent, so an empty `secretEnv: {}` is no
// plain-text secret and `fleet: {}` is one host. Pulumi.yaml declares the same values (a unit test
// keeps the two equal).
export const UNSET_DEFAULTS: Readonly<Record<string, Json>> = {
  // Empty text is never a value (Reader.text); listed for the test that holds Pulumi.yaml to it.
  os: "",
  instanceType: "",
  vmSize: "",
  selinux: "",
  containerLogs: "",
  dockerVersion: "",
  localImage: "",
  sshPublicKey: "",
  sshPrivateKey: "",
  dockerDaemonConfig: {},
  dockerRelaxDaemonKeys: [],
  registryMirrors: [],
  ecrRepositories: [],
  acrRegistries: [],
  registries: [],
  registryPasswords: {},
  containers: [],
  networks: [],
  volumes: [],
  secretEnv: {},
  compose: "",
  edge: {},
  fleet: {},
  services: [],
};

/** True when `value` (as the CLI hands it over: text, or JSON text) is the key's "not set" default. */
export function isUnsetDefault(name: string, value: string): boolean {
  if (!Object.hasOwn(UNSET_DEFAULTS, name)) return false;
  const unset = UNSET_DEFAULTS[name];
  if (typeof unset === "string") return value === unset;
  try {
    return isDeepStrictEqual(JSON.parse(value), unset);
  } catch {
    return false;
  }
}
