import * as fs from "node:fs";
import * as path from "node:path";
import {
  credentialHelpersScript,
  dockerConfigJson,
  ROOT_DOCKER_CONFIG,
} from "../../components/bootstrap/credential-helpers";
import { hostPullScript } from "../../components/services/host-pull";
import type { GuestSession } from "./guest-session";
import { IMDS_PROBE, METADATA_STANDIN_DOWN, metadataStandinUp, quote } from "./metadata-standin";
import { tlsStandin } from "./tls-standin";

// A pull from ECR as an AWS host with ecrRepositories makes it, on a test guest with no cloud:
// the payload's helper step (amazon-ecr-credential-helper from Debian's mirror) and root's
// docker config, the instance profile behind a stand-in IMDSv2 (metadata-standin.ts), and one
// TLS stand-in on the guest's loopback for both ECR's API and the registry, under their real
// names (/etc/hosts) and trusted through a test CA made on the guest. The helper's SDK and the
// engine then talk to it exactly as to AWS. The host's pull step (hostPullScript) runs as the
// deployer over SSH, as the host's `<name>-pull` command does. Nothing leaves the guest.

const DIR = "/run/dockerhost-ecr";
const SCRIPT = `${DIR}/aws-standin.py`;
const RECORD = `${DIR}/ecr.jsonl`;
export const STANDIN_REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
export const STANDIN_REPOSITORY = "team/app";
export const STANDIN_ECR_IMAGE = `${STANDIN_REGISTRY}/${STANDIN_REPOSITORY}:1.4`;
/** ECR's API names in eu-west-1: the SDK's endpoint, and the older one. */
const API_HOSTS = ["api.ecr.eu-west-1.amazonaws.com", "ecr.eu-west-1.amazonaws.com"];
const TLS = tlsStandin("ecr", DIR, [...API_HOSTS, STANDIN_REGISTRY], STANDIN_REGISTRY);

export interface RecordedCall {
  target: string;
  authorization: string;
  securityToken?: string;
  body?: { registryIds?: string[] };
}

export interface EcrPullProof {
  /** What the host's pull step printed: the pulled image's id. */
  pulledId: string;
  calls: RecordedCall[];
  /** The helper's own answer for the registry, as the docker CLI reads it. */
  helperAnswer: { ServerURL?: string; Username?: string; Secret?: string };
}

/** Pulls `sourceImage` (on the guest) back through the stand-in ECR under STANDIN_ECR_IMAGE. */
export async function proveEcrPull(
  session: GuestSession,
  sourceImage: string,
): Promise<EcrPullProof> {
  const helpers = { [STANDIN_REGISTRY]: "ecr-login" as const };
  await session.sshWithInput(
    "sudo sh -s",
    credentialHelpersScript("apt", "debian-12", helpers),
    5 * 60_000,
  );
  // Generous bounds: openssl, update-ca-certificates and the engine are slow on a loaded guest.
  const root = (script: string, timeoutMs = 3 * 60_000) =>
    session.ssh(`sudo sh -c ${quote(script)}`, timeoutMs);
  await session.sshWithInput(
    `sudo sh -c ${quote(`install -d -m 0700 /root/.docker && cat > ${ROOT_DOCKER_CONFIG} && chmod 0600 ${ROOT_DOCKER_CONFIG}`)}`,
    dockerConfigJson(helpers),
  );
  await session.sshWithInput(
    `sudo sh -c ${quote(`mkdir -p ${DIR} && cat > ${SCRIPT}`)}`,
    fs.readFileSync(path.join(__dirname, "aws-standin.py"), "utf8"),
  );
  try {
    await root(TLS.up.join("\n"));
    await root(`docker save ${sourceImage} > ${DIR}/source.tar`);
    await root(
      metadataStandinUp(`python3 ${SCRIPT} imds 169.254.169.254 80`, IMDS_PROBE, 300).join("\n"),
    );
    await root(
      [
        `(setsid python3 ${SCRIPT} ecr 127.0.0.1 443 ${RECORD} ${DIR}/tls.crt ${DIR}/tls.key ${DIR}/source.tar ${STANDIN_REPOSITORY} >${DIR}/ecr.log 2>&1 < /dev/null &)`,
        `for i in $(seq 300); do curl -s -m 1 https://${STANDIN_REGISTRY}/v2/ >/dev/null && exit 0; sleep 0.2; done; cat ${DIR}/ecr.log; exit 1`,
      ].join("\n"),
    );
    // The host's pull step, as the deployer, word for word.
    const pulledId = (await session.ssh(hostPullScript(STANDIN_ECR_IMAGE), 3 * 60_000)).trim();
    const helperAnswer = JSON.parse(
      await root(`echo ${STANDIN_REGISTRY} | HOME=/root docker-credential-ecr-login get`),
    ) as EcrPullProof["helperAnswer"];
    const calls = (await root(`cat ${RECORD}`))
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as RecordedCall);
    return { pulledId, calls, helperAnswer };
  } finally {
    // A teardown that fails must not hide what failed before it.
    await root(
      [
        `docker rmi ${STANDIN_ECR_IMAGE} >/dev/null 2>&1 || true`,
        `pkill -f '${SCRIPT.replace(/\.py$/, "[.]py")} ecr' || true`,
        ...METADATA_STANDIN_DOWN,
        ...TLS.down,
        `rm -rf /root/.docker /root/.ecr ${DIR}`,
      ].join("\n"),
    ).catch((e: Error) => console.log(`ecr pull: teardown failed: ${e.message}`));
  }
}
