import { RESTART_POLICIES, type RestartPolicy } from "../core/container-spec";
import { asMap } from "./compose-values";
import type { ServiceReader } from "./service-reader";

// A compose service's policies: restart (or deploy.restart_policy), pull_policy, security_opt.

// deploy.restart_policy.condition as the restart policy of one container (Compose Specification,
// deploy.md: none, on-failure, any).
const DEPLOY_RESTART: Record<string, RestartPolicy> = {
  none: "no",
  "on-failure": "on-failure",
  any: "always",
};

/** `restart`, or the swarm-style `deploy.restart_policy.condition` Compose also reads. */
export function readRestart(r: ServiceReader): RestartPolicy | undefined {
  const policy = asMap(asMap(r.svc.deploy).restart_policy);
  if (policy.condition !== undefined) {
    if (r.svc.restart !== undefined)
      r.problem("restart", "given with deploy.restart_policy. Give one.");
    const condition = String(policy.condition);
    const mapped = DEPLOY_RESTART[condition];
    if (!mapped)
      r.problem(
        "deploy.restart_policy.condition",
        `${JSON.stringify(condition)} is not a condition. Use none, on-failure or any.`,
      );
    return mapped;
  }
  const value = r.svc.restart;
  if (value === undefined) return undefined;
  if (RESTART_POLICIES.includes(value as RestartPolicy)) return value as RestartPolicy;
  r.problem(
    "restart",
    `${JSON.stringify(value)} is not supported. Use one of: ${RESTART_POLICIES.join(", ")}.`,
  );
  return undefined;
}
/** `security_opt`: every container runs with no-new-privileges and Docker's default profiles. */
export function checkSecurityOpt(r: ServiceReader): void {
  const opts = Array.isArray(r.svc.security_opt) ? r.svc.security_opt.map(String) : [];
  opts.forEach((opt, i) => {
    if (/^no-new-privileges(?:[:=]true)?$/.test(opt)) return;
    r.problem(
      `security_opt[${i}]`,
      `${JSON.stringify(opt)} is not supported: every container runs with no-new-privileges and Docker's default seccomp and AppArmor or SELinux profiles, which this would ${opt.startsWith("no-new-privileges") ? "turn off" : "replace or loosen"}. Leave it out.`,
    );
  });
}

/** `pull_policy`: dockerhost pulls an image the host lacks, once per reference. */
export function checkPullPolicy(r: ServiceReader): void {
  const policy = r.svc.pull_policy;
  if (policy === undefined || ["missing", "if_not_present", "build"].includes(String(policy)))
    return;
  r.problem(
    "pull_policy",
    `${JSON.stringify(policy)} is not supported: dockerhost pulls an image the host lacks, once per reference (missing). Pin a tag or a digest, so that a new image is a new reference.`,
  );
}
