import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import {
  DEPLOYER_PUBLIC_KEY,
  HOST_PUBLIC_KEY,
  byName,
  isSecretInput,
  plain,
  settle,
  useMocks,
  valueOf,
  optionsRecorder,
} from "../support/pulumi-mocks";

const recorded = useMocks("local");
import { shellQuote } from "../../components/bootstrap/shell";
import {
  LocalDockerHost,
  type LocalDockerHostArgs,
} from "../../components/local/local-docker-host";
import type { LocalVmConfig } from "../../components/local/vm-config";
import { configProblems } from "../support/config-problems";
import { LocalDockerHostImage } from "../../components/local/local-docker-host-image";

const images = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-images-"));
const IMAGE = path.join(images, "debian-12-genericcloud-amd64.qcow2");
fs.writeFileSync(IMAGE, "");
afterAll(() => fs.rmSync(images, { recursive: true, force: true }));
const stateDir = process.env.DOCKERHOST_STATE_DIR ?? "";
const repo = path.resolve(__dirname, "..", "..");
/** What nodeCli gives from a checkout: the TypeScript entry point through ts-node. */
const fromSource = (entry: string): string =>
  `TS_NODE_PROJECT=${shellQuote(path.join(repo, "tsconfig.json"))} node --require ` +
  `${shellQuote(require.resolve("ts-node/register/transpile-only"))} ${shellQuote(path.join(repo, "components", entry))}`;
const cli = fromSource("local/vm-cli.ts");

const { byName: optionsByName, record: recordOptions } = optionsRecorder();
/** A child's options as the component passed them, the parent reduced to whether it is set. */
const optionsOf = (name: string) => {
  const { parent, ...rest } = optionsByName.get(name) ?? {};
  return { parent: parent !== undefined, ...rest };
};

async function build(name: string, extra: Partial<LocalDockerHostArgs> = {}) {
  const host = new LocalDockerHost(
    name,
    {
      image: IMAGE,
      sshPublicKey: DEPLOYER_PUBLIC_KEY,
      sshPrivateKey: pulumi.secret("KEY"),
      containers: [
        {
          name: "web",
          image: "nginx:1.27",
          ports: [
            { internal: 80, external: 8080 },
            { internal: 9000, hostIp: "127.0.0.1" },
          ],
        },
      ],
      ...extra,
    },
    { transformations: [recordOptions] },
  );
  await valueOf(host.endpoints);
  await valueOf(host.ready);
  await settle(recorded);
  return { host, mine: recorded.filter((r) => r.name.startsWith(name)) };
}

const problemsOf = (args: Partial<LocalDockerHostArgs>): string[] =>
  configProblems(
    () => new LocalDockerHost("bad", { image: IMAGE, sshPublicKey: DEPLOYER_PUBLIC_KEY, ...args }),
  );

describe("LocalDockerHost", () => {
  it("creates exactly the host's children, named from its name", async () => {
    const { mine } = await build("l1");
    expect(mine.map((r) => `${r.type} ${r.name}`).sort()).toStrictEqual(
      [
        "command:local:Command l1-docker-data",
        "command:local:Command l1-vm",
        "command:local:Command l1-workstation",
        "docker:index/network:Network l1-services-network-default",
        "command:remote:Command l1-ready",
        "dockerhost:index:DockerServices l1-services",
        "dockerhost:index:LocalDockerHost l1",
        "docker:index/container:Container l1-services-web",
        "docker:index/remoteImage:RemoteImage l1-services-web-image",
        "pulumi:providers:docker l1-services-engine",
        "tls:index/privateKey:PrivateKey l1-host-key",
      ].sort(),
    );
  });

  it("runs the lifecycle CLI to create and remove the VM and its data disk", async () => {
    const { mine } = await build("l2");
    const vmDir = path.join(stateDir, "vms", "local-l2");
    const dataDisk = path.join(stateDir, "vms", "local-l2-data", "docker.qcow2");
    const disk = byName(mine, "l2-docker-data").inputs;
    expect(disk.create).toBe(`${cli} data-disk-create ${shellQuote(dataDisk)} 20`);
    expect(disk.delete).toBe(`${cli} data-disk-remove ${shellQuote(dataDisk)}`);
    // No replacement on a changed text (a moved checkout, another size): an update re-runs
    // create, which keeps the disk; only a destroy runs delete.
    // (`triggers[*]` is what @pulumi/command's SDK adds to every command; the disk has none.)
    const options = optionsOf("l2-docker-data");
    expect([options.parent, options.replaceOnChanges, options.deleteBeforeReplace]).toStrictEqual([
      true,
      ["triggers[*]"],
      undefined,
    ]);
    expect(disk.triggers).toBeUndefined();
    const vm = byName(mine, "l2-vm").inputs;
    expect(vm.create).toBe(`${cli} start`);
    expect(vm.delete).toBe(`${cli} stop ${shellQuote(vmDir)}`);
  });

  it("hands the VM its config on stdin as a secret: user-data, forwards, disks", async () => {
    const { mine } = await build("l3", { sshPort: 2200, memoryMb: 4096 });
    const stdin = byName(mine, "l3-vm").inputs.stdin;
    expect(isSecretInput(stdin)).toBe(true);
    const config = JSON.parse(String(plain(stdin))) as LocalVmConfig;
    const { userData, instanceId, ...rest } = config;
    expect(rest).toStrictEqual({
      name: "l3",
      dir: path.join(stateDir, "vms", "local-l3"),
      baseImage: IMAGE,
      memoryMb: 4096,
      cpus: 2,
      diskSizeGb: 20,
      dataDisk: path.join(stateDir, "vms", "local-l3-data", "docker.qcow2"),
      sshPort: 2200,
      // The 127.0.0.1-bound container port stays inside the guest.
      forwards: [{ protocol: "tcp", hostPort: 8080, guestPort: 8080 }],
      accelerator: "auto",
    });
    expect(instanceId).toMatch(/^dockerhost-l3-[0-9a-f]{12}$/);
    expect(userData).toMatch(/^#cloud-config\n/);
    expect(userData).toMatch(/\/dev\/disk\/by-id\/virtio-dockerhost-data/);
    expect(userData).toMatch(/name: debian\n/);
  });

  it("gates on SSH at 127.0.0.1 with the pinned key and publishes loopback endpoints", async () => {
    const { host, mine } = await build("l4", { sshPort: 2201 });
    const conn = plain(byName(mine, "l4-ready").inputs.connection) as Record<string, unknown>;
    // The VM's start step: a new one for a replaced VM, and the gate runs again.
    const machine = await valueOf(host.machineId);
    expect(machine).toBe("l4-vm-id");
    expect(plain(byName(mine, "l4-ready").inputs.triggers)).toStrictEqual([machine]);
    expect(conn.host).toBe("127.0.0.1");
    expect(conn.port).toBe(2201);
    expect(conn.user).toBe("debian");
    expect(conn.hostKey).toBe(HOST_PUBLIC_KEY);
    expect(await valueOf(host.publicIp)).toBe("127.0.0.1");
    expect(await valueOf(host.dockerHost)).toBe("ssh://debian@127.0.0.1");
    expect(await valueOf(host.accelerator)).toBe("tcg");
    expect(await valueOf(host.endpoints)).toStrictEqual({
      web: ["127.0.0.1:8080", "127.0.0.1:9000"],
    });
    expect(await valueOf(host.sshCommand)).toMatch(/ -p 2201 debian@127\.0\.0\.1$/);
  });

  it("joins a local fleet's bus: a second NIC by MAC, its address in user-data, privateIp", async () => {
    const { host, mine } = await build("fleet-m2", {
      swarm: true,
      sshPort: 2301,
      privateNetwork: { group: "239.255.7.9", port: 41000, address: "10.10.0.12" },
      forwardPorts: [8443],
    });
    const config = JSON.parse(
      String(plain(byName(mine, "fleet-m2-vm").inputs.stdin)),
    ) as LocalVmConfig;
    expect(config.privateNetwork).toStrictEqual({
      group: "239.255.7.9",
      port: 41000,
      mac: "52:54:00:0a:00:0c",
    });
    expect(config.forwards).toStrictEqual([
      { protocol: "tcp", hostPort: 8080, guestPort: 8080 },
      { protocol: "tcp", hostPort: 8443, guestPort: 8443 },
    ]);
    // Step 15 and the unit that sets the address at every boot, found by that MAC.
    expect(config.userData).toContain("15-private-network.sh");
    expect(config.userData).toContain("dockerhost-private-net.service");
    expect(config.userData).toContain("ip addr replace 10.10.0.12/24");
    expect(config.userData).toContain("52:54:00:0a:00:0c");
    expect(await valueOf(host.privateIp)).toBe("10.10.0.12");
    expect(await valueOf(host.publicIp)).toBe("127.0.0.1");
  });

  it("leaves the data disk out when dockerDiskSizeGb is 0", async () => {
    const { mine } = await build("l5", { dockerDiskSizeGb: 0, containers: [] });
    expect(mine.some((r) => r.name === "l5-docker-data")).toBe(false);
    const config = JSON.parse(String(plain(byName(mine, "l5-vm").inputs.stdin))) as LocalVmConfig;
    expect(config.dataDisk).toBe(undefined);
    expect(config.userData).not.toMatch(/by-id\/virtio-dockerhost-data/);
  });

  it("refuses bad local settings at preview, naming each field", () => {
    expect(
      problemsOf({
        image: path.join(images, "missing.qcow2"),
        arch: "arm64",
        sshPort: 70000,
        memoryMb: 512,
        accelerator: "hvf" as never,
        kernelArgs: "console=ttyS0",
      }),
    ).toStrictEqual([
      'accelerator: "hvf" is not supported. Use one of: auto, kvm, tcg.',
      `arch: local hosts run x86_64 guests only; set arch to "x86_64"`,
      `image: ${path.join(images, "missing.qcow2")} does not exist; leave image unset to use Debian 12's genericcloud image (fetched and verified on the first up), or name a cloud image file that exists`,
      "kernelArgs: only used with kernel; set kernel too or remove kernelArgs",
      "memoryMb: must be an integer of at least 1024 (cloud-init and dockerd need it)",
      "sshPort: must be an integer from 1 to 65535",
    ]);
    expect(
      problemsOf({ kernel: IMAGE, kernelArgs: "console=ttyS0", selinux: "enforcing" }),
    ).toStrictEqual([
      'kernelArgs: selinux "enforcing" on debian-12 needs security=selinux on the command line of a directly booted kernel; add it to kernelArgs',
    ]);
    expect(
      problemsOf({
        kernel: IMAGE,
        kernelArgs: "console=ttyS0 security=selinux",
        selinux: "enforcing",
      }),
    ).toStrictEqual([]);
    expect(
      problemsOf({ containers: [{ name: "ssh", image: "x:1", ports: [{ internal: 2222 }] }] }),
    ).toStrictEqual([
      "containers: port 2222 is the local sshPort; publish the container on another port or change sshPort",
    ]);
    expect(
      problemsOf({
        containers: [{ name: "web", image: "x:1", ports: [{ internal: 80, external: 8080 }] }],
        forwardPorts: [0, 2222, 8080],
        privateNetwork: { group: "224.0.0.1", port: 80, address: "10.10.0.300" },
      }),
    ).toStrictEqual([
      "forwardPorts[0]: must be an integer from 1 to 65535",
      "forwardPorts[1]: 2222 is the local sshPort; forward another port or change sshPort",
      "forwardPorts[2]: 8080 is a container's published port already; remove it here",
      'privateNetwork.group: "224.0.0.1" is not an administratively scoped multicast group (239.0.0.0/8). Use localFleetNetwork(name).group.',
      "privateNetwork.port: 80 is not a UDP port from 1024 to 65535. Use localFleetNetwork(name).port.",
      'privateNetwork.address: "10.10.0.300" is not an IPv4 address. Give each member its own, e.g. "10.10.0.11".',
    ]);
    expect(
      problemsOf({ privateNetwork: { group: "239.255.1.2", port: 40000, address: "8.8.8.8" } }),
    ).toStrictEqual([
      "privateNetwork.address: 8.8.8.8 is not a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): the swarm's ports would have to be reachable from the internet. Give the host's privateIp.",
    ]);
  });

  it("boots a bake's image (an output, known at deploy) with the payload that checks it", async () => {
    const image = new LocalDockerHostImage("lb-image", {});
    const host = new LocalDockerHost("lb", {
      sshPublicKey: DEPLOYER_PUBLIC_KEY,
      image: image.imagePath,
      bakedImage: true,
    });
    await valueOf(host.ready);
    await settle(recorded);
    const config = JSON.parse(
      String(plain(byName(recorded, "lb-vm").inputs.stdin)),
    ) as LocalVmConfig;
    expect(config.baseImage).toBe("/images/baked/img-0123456789abcdef.qcow2");
    expect(config.fetchBaseImage).toBe(undefined);
    expect(config.userData).toContain("/usr/local/lib/dockerhost/30-check-image.sh");
    expect(config.userData).not.toContain("packages.sh");
    expect(problemsOf({ image: undefined, bakedImage: true })).toStrictEqual([
      "bakedImage: true needs image, the bake's image (a LocalDockerHostImage's imagePath output); the catalog's image holds no bake. Set image, or remove bakedImage to install at first boot.",
    ]);
  });

  it("fetches the default image when the VM starts, so preview does not need it yet", async () => {
    const host = new LocalDockerHost("l7", { sshPublicKey: DEPLOYER_PUBLIC_KEY });
    await valueOf(host.ready);
    await settle(recorded);
    const config = JSON.parse(
      String(plain(byName(recorded, "l7-vm").inputs.stdin)),
    ) as LocalVmConfig;
    expect(config.baseImage).toBe(
      path.join(os.homedir(), ".dockerhost", "images", "debian-12-genericcloud-amd64.qcow2"),
    );
    expect(config.fetchBaseImage).toBe(true);
    // An image you name is yours: never fetched.
    const { mine } = await build("l8");
    const named = JSON.parse(String(plain(byName(mine, "l8-vm").inputs.stdin))) as LocalVmConfig;
    expect(named.fetchBaseImage).toBe(undefined);
  });

  it("writes the workstation's SSH entry and Docker context once the gate passed, removes them on delete", async () => {
    const { host, mine } = await build("l6", { sshPort: 2203 });
    const workstation = byName(mine, "l6-workstation");
    const sshDir = path.join(stateDir, "ssh");
    const wcli = fromSource("remote/workstation-cli.ts");
    expect(workstation.inputs.create).toBe(`${wcli} add`);
    expect(workstation.inputs.delete).toBe(
      `${wcli} remove ${shellQuote(sshDir)} dockerhost-local-l6 local-l6`,
    );
    expect(isSecretInput(workstation.inputs.stdin)).toBe(true);
    expect(JSON.parse(String(plain(workstation.inputs.stdin)))).toStrictEqual({
      alias: "dockerhost-local-l6",
      context: "local-l6",
      stack: "local",
      hostName: "l6",
      sshDir,
      address: "127.0.0.1",
      port: 2203,
      user: "debian",
      hostPublicKey: HOST_PUBLIC_KEY,
      privateKey: "KEY",
      dockerContext: true,
    });
    expect(await valueOf(host.dockerContext)).toBe("local-l6");
    expect(await valueOf(host.sshConfigInclude)).toBe(`Include ${sshDir}/*.conf`);

    const off = await build("l9", { dockerContext: false });
    const entry = JSON.parse(String(plain(byName(off.mine, "l9-workstation").inputs.stdin))) as {
      dockerContext: boolean;
    };
    expect(entry.dockerContext).toBe(false);
    expect(await valueOf(off.host.dockerContext)).toBe("");
  });
});
