import * as path from "node:path";
import type { AcceleratorPreference } from "./accelerator";

// What one local VM is, as plain data: the component builds it, the lifecycle functions and the
// `vm-cli` entry point consume it, so tests drive exactly what `pulumi up` runs.

export interface PortForward {
  protocol: "tcp" | "udp";
  /** Port on 127.0.0.1 of the deployer's machine. */
  hostPort: number;
  guestPort: number;
}

/**
 * A second NIC on a network that only the fleet's own VMs share: a bus of any number of VMs that
 * QEMU carries as UDP multicast on 127.0.0.1 (`-netdev socket,mcast=<group>:<port>,
 * localaddr=127.0.0.1`; QEMU's net/socket.c sets IP_MULTICAST_IF from localaddr, so the frames
 * stay on the loopback interface, which needs no MULTICAST flag then: cockpit-project/bots#3717
 * runs its test VMs the same way). Nothing leaves the machine; no bridge or root is needed. The
 * VMs of one fleet share the group and port; another fleet takes another pair.
 */
export interface PrivateNetwork {
  /** An administratively scoped IPv4 multicast group (239.0.0.0/8, RFC 2365). */
  group: string;
  /** The bus's UDP port. */
  port: number;
  /** The NIC's MAC address (52:54:00:...), how the guest finds it. */
  mac: string;
}

export interface LocalVmConfig {
  /** Used for the QEMU process name and the seed's hostname. */
  name: string;
  /** The VM's own directory (overlay, seed, pidfile, serial log); removed on stop. */
  dir: string;
  /** The cloud image (qcow2 or raw); never written to: the VM gets a copy-on-write overlay. */
  baseImage: string;
  /** Fetch baseImage from Debian's image site (verified by SHA512SUMS) when it is not there yet. */
  fetchBaseImage?: boolean;
  /** Boot this kernel directly instead of the image's boot loader (images without one). */
  kernel?: string;
  initrd?: string;
  kernelArgs?: string;
  memoryMb: number;
  cpus: number;
  /** Grow the overlay to this size (cloud-init's growpart then grows the root partition). */
  diskSizeGb?: number;
  /** A disk kept apart from the VM, attached with the virtio serial `dataDiskSerial`. */
  dataDisk?: string;
  sshPort: number;
  forwards: PortForward[];
  privateNetwork?: PrivateNetwork;
  accelerator: AcceleratorPreference;
  userData: string;
  /** The cloud-init instance id: a new one means a new first boot. */
  instanceId: string;
}

/** The serial the data disk carries, so the guest finds it as /dev/disk/by-id/virtio-<serial>. */
export const DATA_DISK_SERIAL = "dockerhost-data";

export interface VmFiles {
  overlay: string;
  seed: string;
  pidfile: string;
  serialLog: string;
  state: string;
}

export function vmFiles(dir: string): VmFiles {
  return {
    overlay: path.join(dir, "disk.qcow2"),
    seed: path.join(dir, "seed.iso"),
    pidfile: path.join(dir, "qemu.pid"),
    serialLog: path.join(dir, "serial.log"),
    state: path.join(dir, "vm.json"),
  };
}
