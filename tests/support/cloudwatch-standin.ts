import * as fs from "node:fs";
import * as path from "node:path";
import { awslogsOptions } from "../../components/aws/container-logs";
import type { GuestSession } from "./guest-session";
import { IMDS_PROBE, METADATA_STANDIN_DOWN, metadataStandinUp, quote } from "./metadata-standin";

// Container logs shipped as an AWS host ships them (containerLogs "cloud"), on a test guest with
// no cloud: the engine's awslogs driver with the options the payload writes, its credentials
// from a stand-in instance profile behind IMDSv2 at 169.254.169.254 (placed as metadata-standin.ts
// places the service), and its calls to a stand-in CloudWatch Logs on the guest's loopback
// (`awslogs-endpoint`, the only option the test adds). Nothing leaves the guest.

const DIR = "/run/dockerhost-aws";
const SCRIPT = `${DIR}/aws-standin.py`;
const RECORD = `${DIR}/logs.jsonl`;
const LOGS_PORT = 4566;
export const STANDIN_REGION = "eu-west-1";
export const STANDIN_GROUP = "/dockerhost/dockerhost/vm/local";
/** What the stand-in instance profile hands out (aws-standin.py). */
export const STANDIN_CREDENTIALS = {
  accessKeyId: "ASIASTANDIN000000001",
  sessionToken: "standin-session-token",
};

export interface LoggedCall {
  target: string;
  authorization: string;
  securityToken: string;
  body: { logGroupName?: string; logStreamName?: string; logEvents?: { message: string }[] };
}

export interface ShippedLogsProof {
  /** The container's id, as `docker inspect` gives it. */
  id: string;
  /** Each call the driver made, in order. */
  calls: LoggedCall[];
  /** What `docker logs` still shows (the engine's local cache beside the remote driver). */
  dockerLogs: string;
}

/** Runs one container that prints `lines`, logging through awslogs, and reads what arrived. */
export async function proveShippedLogs(
  session: GuestSession,
  image: string,
  lines: string[],
): Promise<ShippedLogsProof> {
  const script = fs.readFileSync(path.join(__dirname, "aws-standin.py"), "utf8");
  await session.sshWithInput(
    `sudo sh -c ${quote(`mkdir -p ${DIR} && cat > ${SCRIPT} && rm -f ${RECORD}`)}`,
    script,
  );
  await session.ssh(
    `sudo sh -c ${quote(metadataStandinUp(`python3 ${SCRIPT} imds 169.254.169.254 80`, IMDS_PROBE).join("\n"))}`,
  );
  try {
    await session.ssh(
      `sudo sh -c ${quote(
        [
          `(setsid python3 ${SCRIPT} logs 127.0.0.1 ${LOGS_PORT} ${RECORD} >/dev/null 2>&1 < /dev/null &)`,
          `for i in $(seq 50); do curl -s -m 1 -X POST -d '{}' http://127.0.0.1:${LOGS_PORT}/ >/dev/null && exit 0; sleep 0.2; done; exit 1`,
        ].join("\n"),
      )}`,
    );
    const options = {
      ...awslogsOptions(STANDIN_REGION, STANDIN_GROUP),
      "awslogs-endpoint": `http://127.0.0.1:${LOGS_PORT}`,
    };
    const printed = lines.map((l) => `echo ${l}`).join("; ");
    await session.docker([
      "run",
      "-d",
      "--name",
      "shipped",
      "--log-driver",
      "awslogs",
      ...Object.entries(options).flatMap(([k, v]) => ["--log-opt", `${k}=${v}`]),
      image,
      "/bin/busybox",
      "sh",
      "-c",
      printed,
    ]);
    await session.docker(["wait", "shipped"]);
    const id = (await session.docker(["inspect", "-f", "{{.Id}}", "shipped"])).trim();
    const dockerLogs = await session.docker(["logs", "shipped"]);
    // The driver sends its batch when the container's log closes; a fixed count of reads.
    let calls: LoggedCall[] = [];
    for (let i = 0; i < 30; i++) {
      calls = parseRecord(await session.ssh(`sudo cat ${RECORD} 2>/dev/null || true`));
      if (calls.some((c) => c.target.endsWith(".PutLogEvents"))) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return { id, calls, dockerLogs };
  } finally {
    await session.ssh("docker rm -f shipped >/dev/null 2>&1 || true");
    await session.ssh(
      `sudo sh -c ${quote(
        [
          // The bracket keeps the pattern from matching this shell's own command line.
          `pkill -f '${SCRIPT.replace(/\.py$/, "[.]py")} logs' || true`,
          ...METADATA_STANDIN_DOWN,
          `rm -rf ${DIR}`,
        ].join("\n"),
      )}`,
    );
  }
}

function parseRecord(text: string): LoggedCall[] {
  return (
    text
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as LoggedCall)
      // The readiness probe's own POST carries no target.
      .filter((c) => c.target !== "")
  );
}
