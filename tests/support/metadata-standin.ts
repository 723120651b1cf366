import type { GuestSession } from "./guest-session";

// A stand-in for the cloud's metadata service on a test guest, placed as the real one is: off the
// host, one routed hop away. A network namespace holds 169.254.169.254 behind a veth pair, and a
// Python HTTP server answers there. The host reaches it over a /32 route (locally originated,
// like a cloud agent's request); a container's request is forwarded through the host, as on a
// cloud, so it meets the FORWARD chain and DOCKER-USER. Nothing leaves the guest.

const NS = "dockerhost-imds";
const PROBE_BODY = "stand-in metadata service";

/** The namespace up with `server` listening on 169.254.169.254:80 in it, reached by curl. */
export function metadataStandinUp(
  server: string,
  probe = "curl -s -m 1 http://169.254.169.254/",
  /** Probes, 0.2 s apart: a loaded guest starts Python slowly. */
  tries = 50,
): string[] {
  return [
    `ip netns add ${NS}`,
    `ip link add imds0 type veth peer name imds1 netns ${NS}`,
    "ip addr add 169.254.169.253 peer 169.254.169.254 dev imds0",
    "ip link set imds0 up",
    `ip -n ${NS} link set lo up`,
    `ip -n ${NS} addr add 169.254.169.254 peer 169.254.169.253 dev imds1`,
    `ip -n ${NS} link set imds1 up`,
    `ip -n ${NS} route add default via 169.254.169.253 dev imds1`,
    `mkdir -p /run/${NS}`,
    `(cd /run/${NS} && setsid ip netns exec ${NS} ${server} >/dev/null 2>&1 < /dev/null &)`,
    `for i in $(seq ${tries}); do ${probe} >/dev/null && exit 0; sleep 0.2; done; exit 1`,
  ];
}

const UP = [
  `mkdir -p /run/${NS} && echo '${PROBE_BODY}' > /run/${NS}/index.html`,
  ...metadataStandinUp("python3 -m http.server 80 --bind 169.254.169.254"),
];

/** An IMDSv2 token request: what a stand-in instance profile answers once it is up. */
export const IMDS_PROBE =
  "curl -s -m 1 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token";

/** The namespace and everything in it gone. */
export const METADATA_STANDIN_DOWN = [
  `ip netns pids ${NS} 2>/dev/null | xargs -r kill`,
  `ip netns del ${NS} 2>/dev/null || true`,
  `rm -rf /run/${NS}`,
];

export interface MetadataReach {
  /** What root on the host got from the stand-in service. */
  hostRoot: string;
  /** What a container's request got (busybox wget's own words). */
  container: string;
  /** The DOCKER-USER chain's rules with their packet counters. */
  dockerUser: string;
}

/** Runs each side's request against the stand-in service, then removes it. */
export async function probeMetadataReach(
  session: GuestSession,
  container: string,
): Promise<MetadataReach> {
  await session.ssh(`sudo sh -c ${quote(UP.join("\n"))}`);
  try {
    const hostRoot = await session.ssh("sudo curl -s -m 5 http://169.254.169.254/");
    const container_ = await session.ssh(
      // busybox nc, not wget: the image's static wget exited 139 (SIGSEGV) with no message on a
      // refused connection under emulation. nc sends a request and prints what comes back.
      `docker exec ${container} /bin/busybox sh -c 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | /bin/busybox nc -w 5 169.254.169.254 80' 2>&1; echo "exit=$?"`,
    );
    const dockerUser = await session.ssh("sudo iptables -w -L DOCKER-USER -v -n");
    return { hostRoot: hostRoot.trim(), container: container_.trim(), dockerUser };
  } finally {
    await session.ssh(`sudo sh -c ${quote(METADATA_STANDIN_DOWN.join("\n"))}`);
  }
}

export const METADATA_PROBE_BODY = PROBE_BODY;

export function quote(script: string): string {
  return `'${script.replace(/'/g, `'"'"'`)}'`;
}
