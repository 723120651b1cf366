import { describe, expect, it } from "@jest/globals";
import {
  acceleratorPreviewProblem,
  chooseAccelerator,
  type AcceleratorFacts,
} from "../../components/local/accelerator";
import { HOST_TOOLS, missingToolsMessage } from "../../components/local/host-tools";
import { findOnPath } from "../../components/remote/find-on-path";
import { containerForwards, expandHome } from "../../components/local/local-args";
import { qemuArgs } from "../../components/local/qemu-args";
import type { LocalVmConfig } from "../../components/local/vm-config";

// The pure half of the local VM: accelerator choice, the qemu command line, forwards, messages.

const VM: LocalVmConfig = {
  name: "app",
  dir: "/state/vms/dev-app",
  baseImage: "/images/debian.qcow2",
  memoryMb: 2048,
  cpus: 2,
  sshPort: 2222,
  forwards: [
    { protocol: "tcp", hostPort: 8080, guestPort: 8080 },
    { protocol: "udp", hostPort: 5353, guestPort: 5353 },
  ],
  accelerator: "auto",
  userData: "#cloud-config\n",
  instanceId: "dockerhost-app-0123456789ab",
};

describe("accelerator choice", () => {
  const usable: AcceleratorFacts = { kvmDevice: "usable", cpuVirtualization: true };
  const cases: [string, AcceleratorFacts, "auto" | "kvm" | "tcg", string, string | undefined][] = [
    ["KVM usable", usable, "auto", "kvm", undefined],
    ["tcg asked", usable, "tcg", "tcg", undefined],
    [
      "no /dev/kvm",
      { kvmDevice: "missing", cpuVirtualization: true },
      "auto",
      "tcg",
      "KVM is not usable here (/dev/kvm does not exist): the VM runs under QEMU's emulation, several times slower",
    ],
    [
      "paravirtual KVM inside a cloud VM (no vmx/svm)",
      { kvmDevice: "usable", cpuVirtualization: false },
      "auto",
      "tcg",
      "KVM is not usable here (the CPU shows no vmx/svm flag (no hardware virtualization)): the VM runs under QEMU's emulation, several times slower",
    ],
  ];
  for (const [label, facts, preference, accel, warning] of cases) {
    it(label, () => {
      const choice = chooseAccelerator(preference, facts);
      expect(choice.accel).toBe(accel);
      expect(choice.warning).toBe(warning);
    });
  }
  it("refuses kvm when asked for and not usable, with the fix", () => {
    expect(() =>
      chooseAccelerator("kvm", { kvmDevice: "no-permission", cpuVirtualization: true }),
    ).toThrow(
      new Error(
        'accelerator: "kvm" was asked but /dev/kvm is not writable by this user (add the user to the kvm group); set accelerator to "auto" or "tcg"',
      ),
    );
  });
});

describe("accelerator at preview", () => {
  const facts = (f: AcceleratorFacts) => () => f;
  it.each<[string, AcceleratorFacts, string | undefined]>([
    [
      "no vmx/svm",
      { kvmDevice: "usable", cpuVirtualization: false },
      'accelerator: "kvm" was asked but the CPU shows no vmx/svm flag (no hardware virtualization) on this machine. Set accelerator to "auto" (KVM where usable, else emulation) or "tcg".',
    ],
    [
      "no /dev/kvm",
      { kvmDevice: "missing", cpuVirtualization: true },
      'accelerator: "kvm" was asked but /dev/kvm does not exist on this machine. Set accelerator to "auto" (KVM where usable, else emulation) or "tcg".',
    ],
    ["KVM usable", { kvmDevice: "usable", cpuVirtualization: true }, undefined],
  ])("kvm asked, %s", (_what, f, expected) => {
    expect(acceleratorPreviewProblem("kvm", facts(f))).toBe(expected);
  });
  it("never refuses auto or tcg", () => {
    const none = facts({ kvmDevice: "missing", cpuVirtualization: false });
    expect([
      acceleratorPreviewProblem("auto", none),
      acceleratorPreviewProblem("tcg", none),
    ]).toStrictEqual([undefined, undefined]);
  });
});

describe("qemu command line", () => {
  it("emulation, loopback-only forwards, disks in a fixed order, detached with a pidfile", () => {
    expect(
      qemuArgs({ ...VM, dataDisk: "/state/vms/dev-app-data/docker.qcow2" }, { accel: "tcg" }),
    ).toStrictEqual([
      "-name",
      "dockerhost-app",
      "-machine",
      "q35",
      "-accel",
      "tcg,thread=multi,tb-size=1024",
      "-cpu",
      "max",
      "-smp",
      "2",
      "-m",
      "2048",
      "-nodefaults",
      "-display",
      "none",
      "-serial",
      "file:/state/vms/dev-app/serial.log",
      "-drive",
      "if=none,id=root,file=/state/vms/dev-app/disk.qcow2,format=qcow2,discard=unmap",
      "-device",
      "virtio-blk-pci,drive=root",
      "-drive",
      "if=none,id=seed,file=/state/vms/dev-app/seed.iso,format=raw,readonly=on",
      "-device",
      "virtio-blk-pci,drive=seed",
      "-drive",
      "if=none,id=data,file=/state/vms/dev-app-data/docker.qcow2,format=qcow2,discard=unmap",
      "-device",
      "virtio-blk-pci,drive=data,serial=dockerhost-data",
      "-netdev",
      "user,id=net0,ipv6=off,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=tcp:127.0.0.1:8080-:8080,hostfwd=udp:127.0.0.1:5353-:5353",
      "-device",
      "virtio-net-pci,netdev=net0",
      "-device",
      "virtio-rng-pci",
      "-pidfile",
      "/state/vms/dev-app/qemu.pid",
      "-daemonize",
    ]);
  });
  it("KVM with the host CPU, and a directly booted kernel", () => {
    const args = qemuArgs(
      {
        ...VM,
        forwards: [],
        kernel: "/k/vmlinuz",
        initrd: "/k/initrd",
        kernelArgs: "root=LABEL=root",
      },
      { accel: "kvm" },
    );
    expect(args.slice(4, 8)).toStrictEqual(["-accel", "kvm", "-cpu", "host"]);
    expect(args.slice(-10, -3)).toStrictEqual([
      "virtio-rng-pci",
      "-kernel",
      "/k/vmlinuz",
      "-initrd",
      "/k/initrd",
      "-append",
      "root=LABEL=root",
    ]);
    expect(args.includes("user,id=net0,ipv6=off,hostfwd=tcp:127.0.0.1:2222-:22")).toBeTruthy();
  });
  it("a private NIC on the fleet's bus: UDP multicast kept on 127.0.0.1", () => {
    const args = qemuArgs(
      { ...VM, privateNetwork: { group: "239.255.10.7", port: 41001, mac: "52:54:00:0a:0a:0b" } },
      { accel: "tcg" },
    );
    const at = args.indexOf("virtio-net-pci,netdev=net0");
    expect(args.slice(at + 1, at + 5)).toStrictEqual([
      "-netdev",
      "socket,id=net1,mcast=239.255.10.7:41001,localaddr=127.0.0.1",
      "-device",
      "virtio-net-pci,netdev=net1,mac=52:54:00:0a:0a:0b",
    ]);
  });
});

describe("local host helpers", () => {
  it("forwards published ports, not those bound to the guest's loopback", () => {
    expect(
      containerForwards([
        {
          name: "a",
          image: "x",
          ports: [
            { internal: 80, external: 8080 },
            { internal: 53, protocol: "udp" },
          ],
        },
        {
          name: "b",
          image: "y",
          ports: [
            { internal: 9000, hostIp: "127.0.0.1" },
            { internal: 9001, hostIp: "0.0.0.0" },
          ],
        },
        { name: "c", image: "z" },
      ]),
    ).toStrictEqual([
      { protocol: "tcp", hostPort: 8080, guestPort: 8080 },
      { protocol: "udp", hostPort: 53, guestPort: 53 },
      { protocol: "tcp", hostPort: 9001, guestPort: 9001 },
    ]);
  });
  it("expands ~ to the home directory only at the start", () => {
    expect(expandHome("/a/~/b")).toBe("/a/~/b");
    expect(expandHome("~/x.qcow2")).toMatch(/^\/.+\/x\.qcow2$/);
  });
  it("names each missing tool and the package to install", () => {
    expect(missingToolsMessage(["qemu-system-x86_64", "cloud-localds"])).toBe(
      "local VM: qemu-system-x86_64, cloud-localds not found on PATH; install with `sudo apt-get install qemu-system-x86 cloud-image-utils` (Debian/Ubuntu)",
    );
    expect(findOnPath("qemu-img", "/nonexistent")).toBe(undefined);
    expect(Object.values(HOST_TOOLS)).toStrictEqual([
      "qemu-system-x86",
      "qemu-utils",
      "cloud-image-utils",
    ]);
  });
});
