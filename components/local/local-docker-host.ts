import { servicesHardening } from "../core/hardening-profile";
import { withEdge } from "../services/edge-app";
import { createHash } from "node:crypto";
import * as path from "node:path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { CLOUD_DATA_DISK_DEVICES } from "../bootstrap/os-catalog";
import { shellQuote } from "../bootstrap/shell";
import { deployerStateDir } from "../remote/deployer-ssh";
import { nodeCli } from "../remote/node-cli";
import { publishHost, type DockerHostOutputs } from "../host/docker-host-component";
import type { SshConnection } from "../remote/ssh-connection";
import { checkHostArgs } from "../host/host-args";
import { attachHostRuntime, createHostKey, hostUserData } from "../host/host-runtime";
import { bootFiles, containerForwards, LOCAL_TARGET, type LocalDockerHostArgs } from "./local-args";
import type { RunningVm } from "./vm-lifecycle";
import { DATA_DISK_SERIAL, type LocalVmConfig } from "./vm-config";

export type { LocalDockerHostArgs } from "./local-args";

const LOOPBACK = "127.0.0.1";

/** `node <this package's vm-cli>`: the commands run the same lifecycle code the tests run. */
function vmCli(): string {
  return nodeCli(__dirname, "vm-cli");
}

/**
 * A hardened Docker host as a QEMU VM on this machine: the same user-data, readiness gate and
 * DockerServices as the cloud hosts, with SSH and published ports on 127.0.0.1 only.
 */
export class LocalDockerHost extends pulumi.ComponentResource implements DockerHostOutputs {
  public readonly publicIp!: pulumi.Output<string>;
  public readonly privateIp!: pulumi.Output<string>;
  public readonly sshUser!: pulumi.Output<string>;
  /** `ssh://user@address`, for DOCKER_HOST or a docker.Provider. */
  public readonly dockerHost!: pulumi.Output<string>;
  public readonly connection!: pulumi.Output<SshConnection>;
  /** `ssh ...` that trusts only the pinned host key. */
  public readonly sshCommand!: pulumi.Output<string>;
  /** The engine version, known only once the readiness gate passed. */
  public readonly ready!: pulumi.Output<string>;
  /** The machine's own id, new whenever the VM is replaced. */
  public readonly machineId!: pulumi.Output<string>;
  /** Per container, its published ports as "address:port". */
  public readonly endpoints!: pulumi.Output<Record<string, string[]>>;
  public readonly hostPublicKey!: pulumi.Output<string>;
  /** The Docker context made for this host on the machine that ran `pulumi up`. */
  public readonly dockerContext!: pulumi.Output<string>;
  /** The line that makes ~/.ssh/config read the project's SSH entries. */
  public readonly sshConfigInclude!: pulumi.Output<string>;
  /** "kvm" or "tcg" (emulation), as chosen when the VM started. */
  public readonly accelerator!: pulumi.Output<string>;
  /** The VM's directory on this machine: overlay disk, seed, pidfile, serial log. */
  public readonly vmDirectory!: pulumi.Output<string>;
  public readonly serialLog!: pulumi.Output<string>;

  constructor(name: string, args: LocalDockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dockerhost:index:LocalDockerHost", name, {}, opts);
    const { spec: host, selinuxRelabel } = checkHostArgs(args, LOCAL_TARGET);

    const vmsDir = path.join(deployerStateDir(), "vms");
    const slug = `${pulumi.getStack()}-${name}`.replace(/[^A-Za-z0-9_.-]/g, "_");
    const dir = path.join(vmsDir, slug);
    const sshPort = args.sshPort ?? 2222;
    const dockerDiskSizeGb = args.dockerDiskSizeGb ?? 20;
    const dataDiskFile = path.join(vmsDir, `${slug}-data`, "docker.qcow2");
    const dataDisk =
      dockerDiskSizeGb > 0
        ? new command.local.Command(
            `${name}-docker-data`,
            {
              create: `${vmCli()} data-disk-create ${shellQuote(dataDiskFile)} ${dockerDiskSizeGb}`,
              delete: `${vmCli()} data-disk-remove ${shellQuote(dataDiskFile)}`,
            },
            // Never replaced: its text names this checkout's vm-cli and the size, so a replacement
            // on any change (as it was) ran the old delete, which removes the disk and the
            // engine's data with it, when the checkout moved or dockerDiskSizeGb changed. A
            // change is an update, which runs `create` again (pulumi-command: local
            // commandController.go Update, "Use Create command if Update is unspecified"), and
            // ensureDataDisk keeps the file that exists. The old state's `delete` runs only when
            // the host is destroyed.
            { parent: this },
          )
        : undefined;

    const hostKey = createHostKey(name, this);
    const userData = hostUserData(
      host,
      hostKey,
      dataDisk ? CLOUD_DATA_DISK_DEVICES.local(DATA_DISK_SERIAL) : undefined,
    );
    const vmConfig = pulumi.all([userData, args.image]).apply(([text, image]): string => {
      const config: LocalVmConfig = {
        name,
        dir,
        ...bootFiles(image, args),
        memoryMb: args.memoryMb ?? 2048,
        cpus: args.cpus ?? 2,
        ...((args.diskSizeGb ?? 20) > 0 ? { diskSizeGb: args.diskSizeGb ?? 20 } : {}),
        ...(dataDisk ? { dataDisk: dataDiskFile } : {}),
        sshPort,
        forwards: [
          ...containerForwards(withEdge("", args.containers ?? [], args.edge)),
          ...(args.forwardPorts ?? []).map((port) => ({
            protocol: "tcp" as const,
            hostPort: port,
            guestPort: port,
          })),
        ],
        ...(args.privateNetwork && host.privateNetwork
          ? {
              privateNetwork: {
                group: args.privateNetwork.group,
                port: args.privateNetwork.port,
                mac: host.privateNetwork.mac,
              },
            }
          : {}),
        accelerator: args.accelerator ?? "auto",
        userData: text,
        // Derived from the user-data, so an unchanged host keeps its id across runs.
        instanceId: `dockerhost-${name}-${createHash("sha256").update(text).digest("hex").slice(0, 12)}`,
      };
      return JSON.stringify(config);
    });
    const vm = new command.local.Command(
      `${name}-vm`,
      {
        create: `${vmCli()} start`,
        delete: `${vmCli()} stop ${shellQuote(dir)}`,
        stdin: pulumi.secret(vmConfig),
      },
      {
        parent: this,
        dependsOn: dataDisk ? [dataDisk] : [],
        // Any change is a new VM; the old one goes first since the new one takes its ports.
        replaceOnChanges: ["*"],
        deleteBeforeReplace: true,
        additionalSecretOutputs: ["stdin"],
      },
    );
    const running = vm.stdout.apply((out) => JSON.parse(out) as RunningVm);

    const runtime = attachHostRuntime(name, this, {
      dockerContext: args.dockerContext,
      arch: host.arch,
      address: LOOPBACK,
      port: sshPort,
      user: host.sshUser,
      hostKey,
      privateKey: args.sshPrivateKey,
      machineId: vm.id,
      dependsOn: [vm],
      containers: args.containers,
      registries: args.registries,
      networks: args.networks,
      volumes: args.volumes,
      removeVolumesOnDelete: args.removeVolumesOnDelete,
      edge: args.edge,
      selinuxRelabel,
      ...servicesHardening(host.hardening),
    });

    publishHost(
      this,
      {
        publicIp: pulumi.output(LOOPBACK),
        // A fleet member's address on the bus, where the other members reach it.
        privateIp: pulumi.output(args.privateNetwork?.address ?? LOOPBACK),
        address: LOOPBACK,
        user: host.sshUser,
        hostKey,
        runtime,
      },
      {
        accelerator: running.apply((r) => r.accel),
        vmDirectory: pulumi.output(dir),
        serialLog: running.apply((r) => r.serialLog),
      },
    );
  }
}
