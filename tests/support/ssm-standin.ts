import * as fs from "node:fs";
import * as path from "node:path";
import {
  cloudSecretsDir,
  secretsRemoveScript,
  secretsStepScript,
} from "../../components/services/cloud-secrets";
import type { ContainerSpec } from "../../components/core/container-spec";
import type { GuestSession } from "./guest-session";
import { readAcrossRotation } from "./secret-reader";
import { IMDS_PROBE, METADATA_STANDIN_DOWN, metadataStandinUp, quote } from "./metadata-standin";
import { tlsStandin } from "./tls-standin";

// A container's secret from SSM Parameter Store as an AWS host reads it (cloudSecrets), on a
// test guest with no cloud: the container's `<c>-secrets` step word for word as the deployer
// over SSH (it installs Debian's python3-botocore from the mirror), the instance profile behind
// a stand-in IMDSv2, and a TLS stand-in for Parameter Store under its real name. Then a
// container reads the file; the value is rotated in the stand-in store, the host's unit reads
// it again (as its timer does), and the running container sees the new value only once
// restarted. Nothing leaves the guest.

const DIR = "/run/dockerhost-ssm";
const SCRIPT = `${DIR}/aws-standin.py`;
const RECORD = `${DIR}/ssm.jsonl`;
const VALUES = `${DIR}/values.json`;
const TLS = tlsStandin("ssm", DIR, ["ssm.eu-west-1.amazonaws.com"]);
export const STANDIN_COMPONENT = "vmtest-services";
export const SECRET_PARAMETER = "/shop/prod/db-password";
export const SECRET_READER: ContainerSpec = {
  name: "secret-reader",
  user: "101:102",
  cloudSecrets: [{ name: "db-password", ssmParameter: SECRET_PARAMETER }],
};
const HOST_FILE = `${cloudSecretsDir(STANDIN_COMPONENT, SECRET_READER.name)}/db-password`;

export interface SecretFileProof {
  /** `stat` of the host's file: mode, owner, and its filesystem's type. */
  hostFile: string;
  /** What the container read: first, after the rotation while running, after its restart. */
  read: { first: string; whileRunning: string; afterRestart: string };
  calls: { target: string; authorization: string; securityToken: string; body: unknown }[];
}

export async function proveSecretFile(
  session: GuestSession,
  image: string,
  values: [string, string],
): Promise<SecretFileProof> {
  // Generous bounds: openssl, update-ca-certificates and the engine are slow on a loaded guest.
  const root = (script: string, timeoutMs = 3 * 60_000) =>
    session.ssh(`sudo sh -c ${quote(script)}`, timeoutMs);
  const storeValue = (value: string) =>
    session.sshWithInput(
      `sudo sh -c ${quote(`cat > ${VALUES}`)}`,
      JSON.stringify({ [SECRET_PARAMETER]: value }),
    );
  await session.sshWithInput(
    `sudo sh -c ${quote(`mkdir -p ${DIR} && cat > ${SCRIPT}`)}`,
    fs.readFileSync(path.join(__dirname, "aws-standin.py"), "utf8"),
  );
  try {
    await storeValue(values[0]);
    await root(TLS.up.join("\n"));
    await root(
      metadataStandinUp(`python3 ${SCRIPT} imds 169.254.169.254 80`, IMDS_PROBE, 300).join("\n"),
    );
    await root(
      [
        `(setsid python3 ${SCRIPT} ssm 127.0.0.1 443 ${RECORD} ${DIR}/tls.crt ${DIR}/tls.key ${VALUES} >${DIR}/ssm.log 2>&1 < /dev/null &)`,
        `for i in $(seq 300); do curl -s -m 1 -X POST -d '{}' https://ssm.eu-west-1.amazonaws.com/ >/dev/null && exit 0; sleep 0.2; done; cat ${DIR}/ssm.log; exit 1`,
      ].join("\n"),
    );
    // The container's step, as its `<c>-secrets` command runs it.
    await session.ssh(secretsStepScript(STANDIN_COMPONENT, SECRET_READER), 8 * 60_000);
    const hostFile = (await root(`stat -c '%a %u:%g' ${HOST_FILE}; stat -f -c '%T' ${HOST_FILE}`))
      .trim()
      .replace("\n", " ");
    const read = await readAcrossRotation(
      session,
      {
        name: SECRET_READER.name,
        user: SECRET_READER.user!,
        image: image,
        hostFile: HOST_FILE,
        file: "db-password",
      },
      () => storeValue(values[1]),
    );
    const calls = (await root(`cat ${RECORD}`))
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as SecretFileProof["calls"][number])
      .filter((c) => c.target !== "");
    return { hostFile, read, calls };
  } finally {
    // A teardown that fails must not hide what failed before it.
    await root(
      [
        `docker rm -f ${SECRET_READER.name} >/dev/null 2>&1 || true`,
        secretsRemoveScript(STANDIN_COMPONENT, SECRET_READER),
        "systemctl disable -q --now dockerhost-secrets.timer dockerhost-secrets.service || true",
        "rm -f /etc/systemd/system/dockerhost-secrets.* && systemctl daemon-reload",
        `pkill -f '${SCRIPT.replace(/\.py$/, "[.]py")} ssm' || true`,
        ...METADATA_STANDIN_DOWN,
        ...TLS.down,
        `rm -rf ${DIR}`,
      ].join("\n"),
    ).catch((e: Error) => console.log(`secret file: teardown failed: ${e.message}`));
  }
}
