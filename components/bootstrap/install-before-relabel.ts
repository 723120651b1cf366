import { bakedEngineHold } from "./baked-image";
import { installPackagesLines } from "./engine-install";
import { INSTALLED_BEFORE_RELABEL_MARKER, packageStepInput } from "./install-half";
import type { ResolvedHostSpec } from "./validate-host";

// Where SELinux comes on by a relabel and a reboot (Debian, Amazon Linux 2023 to enforcing), the
// host's packages go in before the relabel, in the first boot, while SELinux is still off or
// permissive. Installed after the reboot, under enforcing, the same packages were most of a
// strict host's cold boot on an emulated guest: the second boot was still in
// `dpkg --configure --pending` 20 minutes after SSH answered, against 7-13 minutes for the whole
// install of a baseline host. The relabel (setfiles) then labels their files with the rest.
//
// The engine is held back exactly as a bake holds it (bakedEngineHold): the packages enable its
// units, and the second boot must not start them before write_files has written daemon.json
// and step 20 has mounted the data disk (bootcmd, where this runs, comes before both).

/** The lines the activation runs before the policy install; empty for a baked image. */
export function installBeforeRelabelLines(host: ResolvedHostSpec): string[] {
  return [
    ...installPackagesLines(packageStepInput(host)),
    // The trap that removes it never fires: the shell is killed by the reboot, not exited.
    "rm -f /usr/sbin/policy-rc.d",
    ...bakedEngineHold(),
    `install -d -m 0755 ${INSTALLED_BEFORE_RELABEL_MARKER.replace(/\/[^/]+$/, "")}`,
    `touch ${INSTALLED_BEFORE_RELABEL_MARKER}`,
  ];
}
