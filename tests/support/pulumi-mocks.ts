import { afterAll } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

// Mocks for resource-graph tests: every registered resource is recorded with its inputs, and
// the values a real provider would compute are filled in (addresses, ids, keys).

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export const HOST_PUBLIC_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyOfTheMockHost0000000000000000000";
export const HOST_PRIVATE_KEY =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nmock-host-private\n-----END OPENSSH PRIVATE KEY-----\n";
export const DEPLOYER_PUBLIC_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeployerKeyForTests000000000000000000 ops@example.com";

const COMPUTED: Record<string, Record<string, unknown>> = {
  "aws:ec2/instance:Instance": { publicIp: "203.0.113.10", privateIp: "10.42.1.5" },
  "aws:ebs/volume:Volume": {},
  "aws:ec2/subnet:Subnet": { availabilityZone: "eu-west-1a" },
  "tls:index/privateKey:PrivateKey": {
    privateKeyOpenssh: HOST_PRIVATE_KEY,
    publicKeyOpenssh: `${HOST_PUBLIC_KEY}\n`,
  },
  "command:remote:Command": { stdout: "27.3.1\n", stderr: "" },
  "aws:imagebuilder/component:Component": { arn: "arn:aws:imagebuilder:eu-west-1:1:component/c/1" },
  "aws:imagebuilder/imageRecipe:ImageRecipe": {
    arn: "arn:aws:imagebuilder:eu-west-1:1:image-recipe/r/1",
  },
  "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration": {
    arn: "arn:aws:imagebuilder:eu-west-1:1:infrastructure-configuration/i",
  },
  "aws:imagebuilder/image:Image": {
    arn: "arn:aws:imagebuilder:eu-west-1:1:image/r/1/1",
    outputResources: [{ amis: [{ image: "ami-baked0123", region: "eu-west-1" }], containers: [] }],
  },
  "azure-native:managedidentity:UserAssignedIdentity": { principalId: "principal-1234" },
  "aws:iam/role:Role": { name: "builder-role-1234" },
  "aws:iam/instanceProfile:InstanceProfile": { name: "builder-profile-1234" },
  "azure-native:compute:Gallery": { name: "gallery1234" },
  // What vm-cli start prints (the data-disk command's stdout is not read).
  "command:local:Command": {
    stdout:
      '{"pid":4242,"accel":"tcg","sshPort":2222,"forwards":[],"serialLog":"/vms/serial.log","startedAt":"2026-11-26T00:00:00.000Z"}\n',
    stderr: "",
  },
  "docker:index/remoteImage:RemoteImage": { imageId: "sha256:0123abcd" },
  // What the provider's Read records for a container that is not running (a one-off job that ended).
  "docker:index/container:Container": { exitCode: 0, containerLogs: "migrated\n" },
  // A local build's repoDigest is its image id (the provider's doc on Image.repoDigest).
  "docker:index/image:Image": { repoDigest: "sha256:built4567" },
  "azure-native:network:PublicIPAddress": { ipAddress: "20.50.60.70" },
  "azure-native:network:NetworkInterface": {
    ipConfigurations: [{ name: "primary", privateIPAddress: "10.43.1.4" }],
  },
  "azure-native:compute:VirtualMachine": {
    name: "vm-generated",
    vmId: "vm-uuid-1",
    identity: { type: "SystemAssigned", principalId: "principal-1" },
  },
  "azure-native:resources:ResourceGroup": { name: "rg-generated" },
  "azure-native:network:VirtualNetwork": { name: "vnet-generated" },
  "azure-native:network:BastionHost": { name: "bastion-generated" },
};

const FIXED_IDS: Record<string, string> = {
  "aws:ebs/volume:Volume": "vol-0123456789abcdef0",
  "aws:ec2/instance:Instance": "i-0abc123",
};

/** The id the mocks give a resource (the planner knows an update keeps it). */
export const mockId = (type: string, name: string): string => FIXED_IDS[type] ?? `${name}-id`;

/**
 * A fleet member's addresses (`<stack host>-m2-instance`, `-w1-nic`...): distinct per member, so
 * a test can tell which node a command runs on. Managers .11-.17, workers .21 on.
 */
function fleetMemberAddresses(type: string, name: string): Record<string, unknown> | undefined {
  const member = /-([mw])(\d+)-(instance|nic|ip)$/.exec(name);
  if (!member) return undefined;
  const n = (member[1] === "m" ? 10 : 20) + Number(member[2]);
  if (type === "aws:ec2/instance:Instance")
    return { publicIp: `203.0.113.${n}`, privateIp: `10.42.1.${n}` };
  if (type === "azure-native:network:NetworkInterface")
    return { ipConfigurations: [{ name: "primary", privateIPAddress: `10.43.1.${n}` }] };
  if (type === "azure-native:network:PublicIPAddress") return { ipAddress: `20.50.60.${n}` };
  return undefined;
}

/** What vm-cli bake prints (a LocalDockerHostImage's command). */
const BAKE_COMPUTED = {
  stdout:
    '{"imagePath":"/images/baked/img-0123456789abcdef.qcow2","key":"0123456789abcdef","fingerprint":"69261c95de3d","bakeSeconds":214.5,"reused":false}\n',
  stderr: "",
};

/**
 * What a DockerSwarm's commands print on a first deploy: node ids, join tokens, the unlock key,
 * and nothing from the relay (no swarm yet).
 */
function swarmCommandOutput(name: string): { stdout: string; stderr: string } | undefined {
  const step = /-(init|join|worker-token|manager-token|unlock-key|rejoin-token)$/.exec(name)?.[1];
  if (!step) return undefined;
  const stdout =
    step === "init" || step === "join"
      ? `id-${name.slice(0, -step.length - 1)}\n`
      : {
          "worker-token": "SWMTKN-1-worker",
          "manager-token": "SWMTKN-1-manager",
          "unlock-key": "SWMKEY-1-unlock",
          "rejoin-token": "",
        }[step] + "\n";
  return { stdout, stderr: "" };
}

export function useMocks(stack = "dev"): RecordedResource[] {
  const recorded: RecordedResource[] = [];
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-test-"));
  process.env.DOCKERHOST_STATE_DIR = stateDir;
  // The known_hosts files the components write go here; nothing stays behind in /tmp. (Jest
  // reuses its workers across files, so a process exit handler would come too late or never.)
  // A host a test built without awaiting it still writes its files: let that settle first.
  afterAll(async () => {
    await settle(recorded);
    await new Promise((r) => setTimeout(r, 200));
    fs.rmSync(stateDir, { recursive: true, force: true });
  });
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        const id = mockId(args.type, args.name);
        const computed = args.name.endsWith("-bake")
          ? BAKE_COMPUTED
          : (swarmCommandOutput(args.name) ??
            fleetMemberAddresses(args.type, args.name) ??
            COMPUTED[args.type]);
        // An unnamed container is named by the provider's autonaming (pulumi-docker
        // SetAutonaming(255, "-")): the logical name, "-" and random characters.
        const autoname =
          args.type === "docker:index/container:Container" && args.inputs.name === undefined
            ? { name: `${args.name}-a1b2c3d` }
            : {};
        // A log group's ARN as the provider gives it: its name, without the API's ":*".
        const logGroupArn =
          args.type === "aws:cloudwatch/logGroup:LogGroup"
            ? { arn: `arn:aws:logs:eu-west-1:123456789012:log-group:${String(args.inputs.name)}` }
            : {};
        return {
          id,
          state: { ...args.inputs, ...(computed ?? {}), ...autoname, ...logGroupArn },
        };
      },
      call(args) {
        switch (args.token) {
          case "aws:ssm/getParameter:getParameter":
            return { ...args.inputs, value: `ami-from-ssm:${String(args.inputs.name)}` };
          case "aws:ec2/getAmiIds:getAmiIds": {
            // Two RHEL minors published; 9.4 was re-published after 9.6, so it is the newer upload.
            const name = String((args.inputs.filters as { values: string[] }[])[0].values[0]);
            const ids: Record<string, string[]> = {
              "RHEL-9.6.": ["ami-rhel-9-6-newest", "ami-rhel-9-6-older"],
              "RHEL-9.4.": ["ami-rhel-9-4-republished"],
            };
            const hit = Object.keys(ids).find((prefix) => name.startsWith(prefix));
            return { ...args.inputs, ids: hit ? ids[hit] : [] };
          }
          case "azure-native:virtualmachineimages:getVirtualMachineImageTemplate":
            return { ...args.inputs, lastRunStatus: { runState: "Succeeded" } };
          case "azure-native:resources:getResourceGroup":
            return {
              ...args.inputs,
              id: `/subscriptions/sub-1/resourceGroups/${String(args.inputs.resourceGroupName)}`,
            };
          case "aws:index/getRegion:getRegion":
            return { ...args.inputs, region: "eu-west-1", name: "eu-west-1" };
          case "aws:index/getPartition:getPartition":
            return { ...args.inputs, partition: "aws", dnsSuffix: "amazonaws.com" };
          case "aws:index/getCallerIdentity:getCallerIdentity":
            return { ...args.inputs, accountId: "123456789012" };
          case "aws:ec2/getSubnet:getSubnet":
            return { ...args.inputs, vpcId: "vpc-existing", availabilityZone: "eu-west-1b" };
          default:
            return args.inputs;
        }
      },
    },
    "dockerhost",
    stack,
    false,
  );
  return recorded;
}

/** A host DockerServices reaches over SSH, as the tests give it (the private key a secret). */
export const TEST_CONNECTION = {
  host: "198.51.100.20",
  port: 2222,
  user: "debian",
  hostPublicKey: HOST_PUBLIC_KEY,
  privateKey: pulumi.secret("PRIVATE"),
};

/**
 * Records each child's resource options as its component passed them: give `record` to the
 * component's `transformations` (children inherit it), then read `byName`.
 */
export function optionsRecorder(): {
  byName: Map<string, pulumi.CustomResourceOptions>;
  record: pulumi.ResourceTransformation;
} {
  const byName = new Map<string, pulumi.CustomResourceOptions>();
  return {
    byName,
    record: ({ name, opts }) => {
      byName.set(name, opts);
      return undefined;
    },
  };
}

/** The value of an output, as the engine would resolve it. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Waits until no new resource has been registered for a few turns of the event loop. */
export async function settle(recorded: RecordedResource[]): Promise<void> {
  let last = -1;
  let stable = 0;
  // 100 ms without a new registration: 25 ms proved too short with all test files running at once.
  while (stable < 10) {
    await new Promise((r) => setTimeout(r, 10));
    stable = recorded.length === last ? stable + 1 : 0;
    last = recorded.length;
  }
}

export function byName(recorded: RecordedResource[], name: string): RecordedResource {
  const found = recorded.find((r) => r.name === name);
  if (!found)
    throw new Error(`no resource named ${name}; have: ${recorded.map((r) => r.name).join(", ")}`);
  return found;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Whether a recorded input arrived as a Pulumi secret. */
export function isSecretInput(value: unknown): boolean {
  return typeof value === "object" && value !== null && SECRET_SIG in value;
}

/** A recorded input with every secret wrapper removed, for comparing values. */
export function plain(value: unknown): unknown {
  if (isSecretInput(value)) return plain((value as { value: unknown }).value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
