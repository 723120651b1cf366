import { describe, expect, it } from "@jest/globals";
import {
  joinTokenScript,
  nodeAdmitScript,
  nodeRetireScript,
  rejoinTokenScript,
  swarmInitScript,
  swarmJoinScript,
  unlockKeyScript,
} from "../../components/swarm/swarm-commands";

// Each step's exact shell text (as Kamal's tests assert its commands'): what runs on a node is
// what these strings say.

const LIVE_RESTORE = (member: string) =>
  `if [ "$(docker info --format '{{.LiveRestoreEnabled}}')" = true ]; then echo "dockerhost: ${member}'s engine runs with live-restore, which swarm mode refuses: give the host swarm: true" >&2; exit 1; fi`;

const LOCKED_OR_ODD = (member: string) => [
  "  locked)",
  `    echo "dockerhost: ${member}'s swarm is locked (autolock, after an engine restart): run 'docker swarm unlock' there with the unlock key (pulumi stack output --show-secrets unlockKey)" >&2`,
  "    exit 1 ;;",
  "  *)",
  `    echo "dockerhost: ${member}'s engine is in swarm state '$state'; expected inactive or active" >&2`,
  "    exit 1 ;;",
];

describe("the swarm's steps", () => {
  it("makes the swarm on the first manager, on its private address, unless it is in one", () => {
    expect(
      swarmInitScript("m1", { address: "10.0.1.5", availability: "drain" }, true).split("\n"),
    ).toStrictEqual([
      "set -eu",
      LIVE_RESTORE("m1"),
      "state=$(docker info --format '{{.Swarm.LocalNodeState}}')",
      'case "$state" in',
      "  active) ;;",
      "  inactive)",
      "    docker swarm init --advertise-addr 10.0.1.5 --listen-addr 10.0.1.5:2377 --data-path-addr 10.0.1.5 --availability drain --autolock >/dev/null ;;",
      ...LOCKED_OR_ODD("m1"),
      "esac",
      "docker info --format '{{.Swarm.NodeID}}'",
    ]);
    expect(
      swarmInitScript("one", { address: "10.0.1.5", availability: "active" }, false),
    ).toContain(
      "docker swarm init --advertise-addr 10.0.1.5 --listen-addr 10.0.1.5:2377 --data-path-addr 10.0.1.5 --availability active >/dev/null ;;",
    );
  });

  it("joins with the token from stdin, never from its command text", () => {
    expect(
      swarmJoinScript("w1", { address: "10.0.1.7", availability: "active" }, "10.0.1.5").split(
        "\n",
      ),
    ).toStrictEqual([
      "set -eu",
      "IFS= read -r token",
      LIVE_RESTORE("w1"),
      "state=$(docker info --format '{{.Swarm.LocalNodeState}}')",
      'case "$state" in',
      "  active) ;;",
      "  inactive)",
      `    docker swarm join --token "$token" --advertise-addr 10.0.1.7 --listen-addr 10.0.1.7:2377 --data-path-addr 10.0.1.7 --availability active 10.0.1.5:2377 >/dev/null ;;`,
      ...LOCKED_OR_ODD("w1"),
      "esac",
      "docker info --format '{{.Swarm.NodeID}}'",
    ]);
  });

  it("reads the tokens and the unlock key quietly (-q: the value alone)", () => {
    expect(joinTokenScript("worker")).toBe("docker swarm join-token -q worker");
    expect(joinTokenScript("manager")).toBe("docker swarm join-token -q manager");
    expect(unlockKeyScript()).toBe("docker swarm unlock-key -q");
  });

  it("makes the swarm, or joins through a relay when one gives a token: the first manager's new host", () => {
    expect(
      swarmInitScript("m1", { address: "10.0.1.5", availability: "drain" }, true, true).split("\n"),
    ).toStrictEqual([
      "set -eu",
      "via='' token=''",
      "IFS=' ' read -r via token || true",
      LIVE_RESTORE("m1"),
      "state=$(docker info --format '{{.Swarm.LocalNodeState}}')",
      'case "$state" in',
      "  active) ;;",
      "  inactive)",
      `    if [ -n "$token" ]; then docker swarm join --token "$token" --advertise-addr 10.0.1.5 --listen-addr 10.0.1.5:2377 --data-path-addr 10.0.1.5 --availability drain "$via:2377" >/dev/null`,
      "    else docker swarm init --advertise-addr 10.0.1.5 --listen-addr 10.0.1.5:2377 --data-path-addr 10.0.1.5 --availability drain --autolock >/dev/null; fi ;;",
      ...LOCKED_OR_ODD("m1"),
      "esac",
      "docker info --format '{{.Swarm.NodeID}}'",
    ]);
  });

  it("reads a manager token on the relay only when the swarm exists, and refuses a relay that cannot give one", () => {
    expect(rejoinTokenScript("m2").split("\n")).toStrictEqual([
      "set -eu",
      "state=$(docker info --format '{{.Swarm.LocalNodeState}}')",
      'case "$state" in',
      "  inactive) ;;",
      "  active)",
      `    if [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" != true ]; then echo "dockerhost: m2 is in the swarm but is not a manager, so the first manager's new host cannot join through it: promote it again (docker node promote <its node id>, on a manager)" >&2; exit 1; fi`,
      "    docker swarm join-token -q manager ;;",
      ...LOCKED_OR_ODD("m2"),
      "esac",
    ]);
  });

  const RETIRE = [
    "retire() {",
    '  docker node inspect "$1" >/dev/null 2>&1 || return 0',
    '  docker node update --availability drain "$1" >/dev/null',
    "  deadline=$(( $(date +%s) + 300 ))",
    `  while [ "$(docker node inspect -f '{{.Status.State}}' "$1")" = ready ] && docker node ps --format '{{.CurrentState}}' "$1" | grep -q '^Running'; do`,
    '    if [ "$(date +%s)" -ge "$deadline" ]; then',
    '      echo "dockerhost: $2 still runs tasks after 300 s of draining:" >&2',
    '      docker node ps "$1" >&2',
    "      exit 1",
    "    fi",
    "    sleep 2",
    "  done",
    `  if [ "$(docker node inspect -f '{{.Spec.Role}}' "$1")" = manager ]; then docker node demote "$1" >/dev/null; fi`,
    '  docker node rm --force "$1" >/dev/null',
    "}",
  ];

  it("admits a node once Ready (availability, name label), then retires the node of its replaced host", () => {
    expect(
      nodeAdmitScript("w1", "abc123", { address: "10.0.1.7", availability: "active" }).split("\n"),
    ).toStrictEqual([
      "set -eu",
      ...RETIRE,
      "deadline=$(( $(date +%s) + 120 ))",
      "until [ \"$(docker node inspect -f '{{.Status.State}}' abc123)\" = ready ]; do",
      '  if [ "$(date +%s)" -ge "$deadline" ]; then',
      "    echo \"dockerhost: node w1 (abc123) is not Ready after 120 s: $(docker node inspect -f '{{.Status.State}} {{.Status.Message}}' abc123)\" >&2",
      "    exit 1",
      "  fi",
      "  sleep 2",
      "done",
      "docker node update --availability active --label-add dockerhost.node=w1 abc123 >/dev/null",
      "for old in $(docker node ls -q); do",
      `  if [ "$old" != abc123 ] && [ "$(docker node inspect -f '{{index .Spec.Labels "dockerhost.node"}}' "$old")" = w1 ]; then`,
      '    retire "$old" "the old host of node w1 ($old)"',
      "  fi",
      "done",
    ]);
  });

  it("retires a node: drained until its tasks left (unless it is down), demoted if a manager, removed", () => {
    expect(nodeRetireScript("m2", "def456").split("\n")).toStrictEqual([
      "set -eu",
      ...RETIRE,
      "retire def456 'node m2 (def456)'",
    ]);
  });
});
