import {
  DockerHostConfigError,
  LocalDockerHost,
  LocalDockerHostImage,
  dockerHostArgsProblems,
  localFleetNetwork,
  type LocalDockerHostArgs,
} from "../../components";
import { localImageArgsOf } from "../bake";
import { SHARED_CONFIG_KEYS, memberArgs, type LocalTarget } from "./target";

// Local QEMU: a VM on this machine (its image, SSH port, memory, CPUs and accelerator from the
// config), a baked qcow2, and a fleet of VMs on one private bus on 127.0.0.1.

/** The first local member's address on the bus; the others follow (10.10.0.11, .12, ...). */
export const LOCAL_FLEET_FIRST_ADDRESS = [10, 10, 0, 11] as const;

export const LOCAL_TARGET: LocalTarget = {
  readArgs: (reader, shared) => ({
    ...shared,
    image: reader.text("localImage"),
    sshPort: reader.wholeNumber("localSshPort"),
    memoryMb: reader.wholeNumber("localMemoryMb"),
    cpus: reader.wholeNumber("localCpus"),
    accelerator: reader.text("localAccelerator") as LocalDockerHostArgs["accelerator"],
    dockerDiskSizeGb: reader.wholeNumber("dockerVolumeSizeGb"),
  }),
  configKeys: {
    ...SHARED_CONFIG_KEYS,
    image: "localImage",
    sshPort: "localSshPort",
    memoryMb: "localMemoryMb",
    cpus: "localCpus",
    accelerator: "localAccelerator",
    dockerDiskSizeGb: "dockerVolumeSizeGb",
  },
  hostProblems: (args) => dockerHostArgsProblems("local", args),
  host: (hostName, args, bake) => {
    if (!bake) return new LocalDockerHost(hostName, args);
    const image = new LocalDockerHostImage(`${hostName}-image`, localImageArgsOf(args));
    const baked = { image: image.imagePath, bakedImage: true };
    return new LocalDockerHost(hostName, { ...args, ...baked });
  },
  /**
   * VMs on the fleet's bus, each on its own SSH port (sshPort, sshPort + 1, ...), from one baked
   * image when asked. The first member forwards the services' published TCP ports of mode
   * ingress: the routing mesh answers them on any member, so one forward reaches them all.
   */
  members: (hostName, args, bake, _encryptedOverlay, fleet) => {
    const bus = localFleetNetwork(hostName);
    const image = bake
      ? new LocalDockerHostImage(`${hostName}-image`, localImageArgsOf(args))
      : undefined;
    const firstSshPort = args.sshPort ?? 2222;
    const size = fleet.managers + fleet.workers;
    const published = fleet.services.flatMap((s) =>
      (s.ports ?? [])
        .filter((p) => p.mode === "ingress" && (p.protocol ?? "tcp") === "tcp")
        .map((p) => p.external ?? p.internal),
    );
    const clashes = published.filter((p) => p >= firstSshPort && p < firstSshPort + size);
    if (clashes.length)
      throw new DockerHostConfigError(
        clashes.map(
          (p) =>
            `services: port ${p} is the SSH port of fleet member ${p - firstSshPort + 1} (the members' SSH ports are ${firstSshPort}-${firstSshPort + size - 1}, from localSshPort on); publish the service on another port or set localSshPort`,
        ),
      );
    const [a, b, c, d] = LOCAL_FLEET_FIRST_ADDRESS;
    return (memberName, index) =>
      new LocalDockerHost(memberName, {
        ...memberArgs(args),
        sshPort: firstSshPort + index,
        privateNetwork: { ...bus, address: `${a}.${b}.${c}.${d + index}` },
        forwardPorts: index === 0 ? published : [],
        ...(image ? { image: image.imagePath, bakedImage: true } : {}),
      });
  },
};
