import { describe, expect, it } from "@jest/globals";
import {
  awaitPackagesScript,
  awaitStepsScript,
  earlyPackagesBootcmd,
  earlyStepsBootcmd,
} from "../../components/bootstrap/early-packages";

// The package install starts from bootcmd and the ordered steps wait for it: exact shell text.

describe("early package install", () => {
  it("bootcmd starts the package unit once per instance, after write_files", () => {
    expect(earlyPackagesBootcmd()).toBe(
      `cloud-init-per instance dockerhost-packages systemd-run --no-block --unit=dockerhost-packages.service --property=Type=oneshot --property=RemainAfterExit=yes /bin/sh -c 'timeout 120 sh -c "until [ -e /usr/local/lib/dockerhost/files-written ]; do sleep 0.2; done" && exec /usr/local/lib/dockerhost/packages.sh >/var/log/dockerhost-packages.log 2>&1'`,
    );
  });
  it("a baked host's steps start as a unit after cloud-init's first stage; runcmd waits for it", () => {
    expect(earlyStepsBootcmd("/usr/local/lib/dockerhost/run-steps.sh")).toBe(
      `cloud-init-per instance dockerhost-steps systemd-run --no-block --unit=dockerhost-steps.service --property=Type=oneshot --property=RemainAfterExit=yes --property=After=cloud-init.service /bin/sh -c 'exec /usr/local/lib/dockerhost/run-steps.sh >/var/log/dockerhost-steps.log 2>&1'`,
    );
    const wait = awaitStepsScript("/usr/local/lib/dockerhost/run-steps.sh").split("\n");
    expect(wait.slice(1, 7)).toStrictEqual([
      "# dockerhost: wait for the first-boot steps that started after cloud-init's first stage",
      "set -eu",
      "unit=dockerhost-steps.service",
      'if [ "$(systemctl show -p LoadState --value "$unit")" != loaded ]; then',
      '  echo "dockerhost: $unit did not start at boot; running the steps now"',
      "  exec /usr/local/lib/dockerhost/run-steps.sh",
    ]);
    expect(wait).toContain(
      "    { echo 'dockerhost: the first-boot steps failed (/var/log/dockerhost-steps.log)' >&2; exit 1; }",
    );
    expect(wait).toContain(
      "  [ \"$waited\" -lt 3000 ] || { echo 'dockerhost: the first-boot steps did not finish within 1500 s' >&2; exit 1; }",
    );
  });
  it("step 30 waits for the unit, fails with its journal, or installs itself if it never ran", () => {
    expect(awaitPackagesScript()).toBe(
      [
        "#!/bin/sh",
        "# dockerhost: wait for the packages that started installing at boot",
        "set -eu",
        "unit=dockerhost-packages.service",
        'if [ "$(systemctl show -p LoadState --value "$unit")" != loaded ]; then',
        '  echo "dockerhost: $unit did not start at boot; installing now"',
        "  exec /usr/local/lib/dockerhost/packages.sh",
        "fi",
        "waited=0",
        'until [ "$(systemctl show -p ActiveState --value "$unit")" = active ]; do',
        '  if [ "$(systemctl show -p ActiveState --value "$unit")" = failed ]; then',
        "    tail -n 40 /var/log/dockerhost-packages.log >&2",
        "    { echo 'dockerhost: the package install failed (/var/log/dockerhost-packages.log)' >&2; exit 1; }",
        "  fi",
        "  [ \"$waited\" -lt 3600 ] || { echo 'dockerhost: the package install did not finish within 1800 s' >&2; exit 1; }",
        "  sleep 0.5",
        "  waited=$((waited + 1))",
        "done",
        "cat /var/log/dockerhost-packages.log",
        "",
      ].join("\n"),
    );
  });
});
