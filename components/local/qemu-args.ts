import type { AcceleratorChoice } from "./accelerator";
import { DATA_DISK_SERIAL, vmFiles, type LocalVmConfig } from "./vm-config";

/** The qemu-system-x86_64 command line for a VM: pure, so its exact text is tested. */
export function qemuArgs(vm: LocalVmConfig, choice: AcceleratorChoice): string[] {
  const files = vmFiles(vm.dir);
  // Every forward binds 127.0.0.1 only: the VM is reachable from this machine and nowhere else.
  const forwards = [
    `hostfwd=tcp:127.0.0.1:${vm.sshPort}-:22`,
    ...vm.forwards.map((f) => `hostfwd=${f.protocol}:127.0.0.1:${f.hostPort}-:${f.guestPort}`),
  ];
  const args = [
    "-name",
    `dockerhost-${vm.name}`,
    "-machine",
    "q35",
    ...(choice.accel === "kvm"
      ? ["-accel", "kvm", "-cpu", "host"]
      : ["-accel", "tcg,thread=multi,tb-size=1024", "-cpu", "max"]),
    "-smp",
    String(vm.cpus),
    "-m",
    String(vm.memoryMb),
    "-nodefaults",
    "-display",
    "none",
    "-serial",
    `file:${files.serialLog}`,
    // Explicit devices in a fixed order: the image's disk is always the first (vda).
    "-drive",
    `if=none,id=root,file=${files.overlay},format=qcow2,discard=unmap`,
    "-device",
    "virtio-blk-pci,drive=root",
    "-drive",
    `if=none,id=seed,file=${files.seed},format=raw,readonly=on`,
    "-device",
    "virtio-blk-pci,drive=seed",
  ];
  if (vm.dataDisk) {
    args.push(
      "-drive",
      `if=none,id=data,file=${vm.dataDisk},format=qcow2,discard=unmap`,
      "-device",
      `virtio-blk-pci,drive=data,serial=${DATA_DISK_SERIAL}`,
    );
  }
  args.push(
    "-netdev",
    `user,id=net0,ipv6=off,${forwards.join(",")}`,
    "-device",
    "virtio-net-pci,netdev=net0",
    ...(vm.privateNetwork
      ? [
          "-netdev",
          `socket,id=net1,mcast=${vm.privateNetwork.group}:${vm.privateNetwork.port},localaddr=127.0.0.1`,
          "-device",
          `virtio-net-pci,netdev=net1,mac=${vm.privateNetwork.mac}`,
        ]
      : []),
    // Entropy for the guest's first boot (key generation, TLS) instead of waiting on jitter.
    "-device",
    "virtio-rng-pci",
  );
  if (vm.kernel) {
    args.push("-kernel", vm.kernel);
    if (vm.initrd) args.push("-initrd", vm.initrd);
    if (vm.kernelArgs) args.push("-append", vm.kernelArgs);
  }
  args.push("-pidfile", files.pidfile, "-daemonize");
  return args;
}
