import * as fs from "node:fs";
import * as path from "node:path";
import {
  ACR_HELPER_PATH,
  ACR_HELPER_SCRIPT,
} from "../../components/bootstrap/acr-credential-helper";
import {
  dockerConfigJson,
  ROOT_DOCKER_CONFIG,
} from "../../components/bootstrap/credential-helpers";
import {
  cloudSecretsDir,
  secretsRemoveScript,
  secretsStepScript,
} from "../../components/services/cloud-secrets";
import type { ContainerSpec } from "../../components/core/container-spec";
import { hostPullScript } from "../../components/services/host-pull";
import type { GuestSession } from "./guest-session";
import { readAcrossRotation } from "./secret-reader";
import { METADATA_STANDIN_DOWN, metadataStandinUp, quote } from "./metadata-standin";
import { tlsStandin } from "./tls-standin";

// An Azure host's managed identity at work, on a test guest with no cloud: the payload's ACR
// credential helper and root's docker config written as cloud-init writes them, the identity
// behind a stand-in for IMDS's managed identity endpoint (metadata-standin.ts), and one TLS
// stand-in on the guest's loopback for a container registry and a Key Vault under their real
// names. Then the host's pull step (hostPullScript) and a container's secrets step
// (secretsStepScript), word for word as the deployer runs them over SSH; a container reads its
// secret, the value is rotated, and the container sees it once restarted. Nothing leaves the guest.

const DIR = "/run/dockerhost-azure";
const RECORD = `${DIR}/azure.jsonl`;
const IMDS_RECORD = `${DIR}/imds.jsonl`;
const VALUES = `${DIR}/values.json`;
export const ACR_SERVER = "shopregistry.azurecr.io";
export const ACR_REPOSITORY = "team/app";
export const ACR_IMAGE = `${ACR_SERVER}/${ACR_REPOSITORY}:1.4`;
const VAULT_HOST = "shop-vault.vault.azure.net";
export const KEY_VAULT_SECRET =
  "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shop/providers/Microsoft.KeyVault/vaults/shop-vault/secrets/db-password";
const COMPONENT = "vmtest-azure";
export const VAULT_READER: ContainerSpec = {
  name: "vault-reader",
  user: "101:102",
  cloudSecrets: [{ name: "db-password", keyVaultSecret: KEY_VAULT_SECRET }],
};
const HOST_FILE = `${cloudSecretsDir(COMPONENT, VAULT_READER.name)}/db-password`;
const TLS = tlsStandin("azure", DIR, [ACR_SERVER, VAULT_HOST], ACR_SERVER);
const IMDS_TOKEN_PROBE =
  "curl -s -f -m 1 -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=probe'";

export interface AzureCall {
  host?: string;
  target: string;
  authorization?: string;
  body?: Record<string, string>;
  query?: Record<string, string>;
  metadata?: string;
}

export interface AzureIdentityProof {
  pulledId: string;
  helperAnswer: { ServerURL?: string; Username?: string; Secret?: string };
  hostFile: string;
  read: { first: string; whileRunning: string; afterRestart: string };
  calls: AzureCall[];
  imdsCalls: AzureCall[];
}

export async function proveAzureIdentity(
  session: GuestSession,
  sourceImage: string,
  values: [string, string],
): Promise<AzureIdentityProof> {
  // Generous bounds: openssl, update-ca-certificates and the engine are slow on a loaded guest.
  const root = (script: string, timeoutMs = 3 * 60_000) =>
    session.ssh(`sudo sh -c ${quote(script)}`, timeoutMs);
  const upload = (target: string, text: string, mode: string) =>
    session.sshWithInput(
      // mkdir -p leaves an existing directory's mode alone (install -d would not: /usr/bin).
      `sudo sh -c ${quote(`mkdir -p ${path.dirname(target)} && cat > ${target} && chmod ${mode} ${target}`)}`,
      text,
    );
  const storeValue = (value: string) =>
    upload(VALUES, JSON.stringify({ "db-password": value }), "0600");
  const records = async (file: string) =>
    (await root(`cat ${file}`))
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as AzureCall);
  for (const script of ["aws-standin.py", "azure-standin.py"])
    await upload(`${DIR}/${script}`, fs.readFileSync(path.join(__dirname, script), "utf8"), "0644");
  // What the payload writes for acrRegistries (cloud-init's write_files).
  await upload(ACR_HELPER_PATH, ACR_HELPER_SCRIPT, "0755");
  await upload(ROOT_DOCKER_CONFIG, dockerConfigJson({ [ACR_SERVER]: "dockerhost-acr" }), "0600");
  try {
    await storeValue(values[0]);
    await root(TLS.up.join("\n"));
    await root(`docker save ${sourceImage} > ${DIR}/source.tar`);
    await root(
      metadataStandinUp(
        `python3 ${DIR}/azure-standin.py imds 169.254.169.254 80 ${IMDS_RECORD}`,
        IMDS_TOKEN_PROBE,
        300,
      ).join("\n"),
    );
    await root(
      [
        `(setsid python3 ${DIR}/azure-standin.py azure 127.0.0.1 443 ${RECORD} ${DIR}/tls.crt ${DIR}/tls.key ${DIR}/source.tar ${ACR_REPOSITORY} ${ACR_SERVER} ${VAULT_HOST} ${VALUES} >${DIR}/azure.log 2>&1 < /dev/null &)`,
        `for i in $(seq 300); do curl -s -m 1 https://${ACR_SERVER}/v2/ >/dev/null && exit 0; sleep 0.2; done; cat ${DIR}/azure.log; exit 1`,
      ].join("\n"),
    );
    const pulledId = (await session.ssh(hostPullScript(ACR_IMAGE), 3 * 60_000)).trim();
    const helperAnswer = JSON.parse(
      await root(`echo ${ACR_SERVER} | HOME=/root docker-credential-dockerhost-acr get`),
    ) as AzureIdentityProof["helperAnswer"];

    await session.ssh(secretsStepScript(COMPONENT, VAULT_READER), 3 * 60_000);
    const hostFile = (await root(`stat -c '%a %u:%g' ${HOST_FILE}; stat -f -c '%T' ${HOST_FILE}`))
      .trim()
      .replace("\n", " ");
    const read = await readAcrossRotation(
      session,
      {
        name: VAULT_READER.name,
        user: VAULT_READER.user!,
        image: sourceImage,
        hostFile: HOST_FILE,
        file: "db-password",
      },
      () => storeValue(values[1]),
    );
    return {
      pulledId,
      helperAnswer,
      hostFile,
      read,
      calls: await records(RECORD),
      imdsCalls: (await records(IMDS_RECORD)).filter((c) => c.query?.resource !== "probe"),
    };
  } finally {
    // A teardown that fails must not hide what failed before it.
    await root(
      [
        `docker rm -f ${VAULT_READER.name} >/dev/null 2>&1 || true`,
        `docker rmi ${ACR_IMAGE} >/dev/null 2>&1 || true`,
        secretsRemoveScript(COMPONENT, VAULT_READER),
        "systemctl disable -q --now dockerhost-secrets.timer dockerhost-secrets.service || true",
        "rm -f /etc/systemd/system/dockerhost-secrets.* && systemctl daemon-reload",
        `pkill -f '${DIR}/azure-standin[.]py' || true`,
        ...METADATA_STANDIN_DOWN,
        ...TLS.down,
        `rm -rf ${ACR_HELPER_PATH} /root/.docker ${DIR}`,
      ].join("\n"),
    ).catch((e: Error) => console.log(`azure identity: teardown failed: ${e.message}`));
  }
}
