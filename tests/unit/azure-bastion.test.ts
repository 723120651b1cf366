import { describe, expect, it } from "@jest/globals";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
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
} from "../support/pulumi-mocks";

const recorded = useMocks();
import { AzureDockerHost } from "../../components/azure/azure-docker-host";
import { bastionProblems } from "../../components/azure/bastion";
import { azureBastionProxyCommand } from "../../components/host/bastion-proxy";
import { configProblems } from "../support/config-problems";

const VM_ID = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/web";

describe("the Bastion bridge (the ProxyCommand)", () => {
  it("carries stdin and stdout through the tunnel `az` opens, and stops it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bastion-bridge-"));
    const az = path.join(dir, "az");
    fs.copyFileSync(path.join(__dirname, "../support/bastion-standin.js"), az);
    fs.chmodSync(az, 0o755);
    // An echo server stands in for sshd; it answers after the bridge's input is in.
    const echo = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
    const port = (echo.address() as net.AddressInfo).port;
    const command = azureBastionProxyCommand("web-bastion", "shop", VM_ID);
    const result = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn("/bin/sh", ["-c", `exec ${command}`], {
        env: {
          ...process.env,
          PATH: `${dir}:${process.env.PATH}`,
          DOCKERHOST_TEST_BASTION_LOG: path.join(dir, "log"),
          DOCKERHOST_TEST_BASTION_TO: String(port),
        },
      });
      let stdout = "";
      child.stdout!.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes("through the tunnel\n")) child.stdin!.end();
      });
      child.stdin!.write("through the tunnel\n");
      child.on("exit", (status: number | null) => resolve({ status, stdout }));
    });
    echo.close();
    expect(result).toStrictEqual({ status: 0, stdout: "through the tunnel\n" });
    expect(fs.readFileSync(path.join(dir, "log"), "utf8")).toBe(`web-bastion shop ${VM_ID} 22\n`);
    fs.rmSync(dir, { recursive: true });
  });

  it("exits 255, as a dead proxy, when `az` is missing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bastion-noaz-"));
    fs.symlinkSync(process.execPath, path.join(dir, "node"));
    const result = spawnSync(
      "/bin/sh",
      ["-c", `exec ${azureBastionProxyCommand("b", "g", VM_ID)}`],
      {
        env: { PATH: dir },
        encoding: "utf8",
        input: "",
      },
    );
    fs.rmSync(dir, { recursive: true });
    expect(result.status).toBe(255);
    expect(result.stderr).toBe("dockerhost: cannot run az: spawn az ENOENT\n");
  });

  it("holds no ssh token character and no single quote, so it is one ProxyCommand line", () => {
    const command = azureBastionProxyCommand("b", "g", VM_ID);
    expect(command).not.toMatch(/%/);
    expect(command.startsWith("node -e '")).toBe(true);
    expect(command.endsWith(` b g ${VM_ID}`)).toBe(true);
    expect(command).not.toContain("\n");
  });
});

describe("bastionProblems", () => {
  it.each<[string, Parameters<typeof bastionProblems>[0], string[]]>([
    ["a host of its own", { sshAccess: "session" }, []],
    [
      "a given subnet without its Bastion",
      { sshAccess: "session", subnetId: "/s" },
      [
        'bastion: required with sshAccess: "session" and subnetId: the host is in your VNet, where dockerhost does not make a Bastion. Give your Bastion (Standard SKU or above, native client support on) as { name, resourceGroupName, subnetCidr }, or leave subnetId out so that the host makes its own VNet and Bastion.',
      ],
    ],
    [
      "a subnet too small and a Bastion without a session",
      { bastion: { name: "b", resourceGroupName: "g", subnetCidr: "10.0.0.0/27" } },
      ['bastion: only used with sshAccess: "session". Remove it, or set sshAccess: "session".'],
    ],
    [
      "a subnet too small",
      { sshAccess: "session", bastionSubnetCidr: "10.43.2.0/27" },
      [
        'bastionSubnetCidr: 10.43.2.0/27 is smaller than Bastion\'s subnet must be (/26 or larger, e.g. "10.43.2.0/26").',
      ],
    ],
    [
      "an address that is no CIDR",
      {
        sshAccess: "session",
        subnetId: "/s",
        bastion: { name: "b", resourceGroupName: "g", subnetCidr: "10.0.0.0" },
      },
      ['bastion.subnetCidr: "10.0.0.0" is no IPv4 CIDR, e.g. "10.43.2.0/26".'],
    ],
  ])("%s", (_, args, problems) => {
    expect(bastionProblems(args)).toStrictEqual(problems);
  });
});

describe('AzureDockerHost with sshAccess: "session"', () => {
  it("makes a Standard Bastion with native client support, opens 22 to its subnet only, and runs every step through it", async () => {
    const host = new AzureDockerHost("ab1", {
      os: "debian-12",
      sshPublicKey: DEPLOYER_PUBLIC_KEY,
      sshPrivateKey: pulumi.secret("PRIVATE"),
      sshAccess: "session",
      location: "westeurope",
      containers: [
        {
          name: "web",
          image: "nginx:1.27",
          ports: [{ internal: 8080, external: 443, allowedCidrs: ["198.51.100.0/24"] }],
        },
      ],
    });
    await valueOf(host.ready);
    await settle(recorded);
    const mine = recorded.filter((r) => r.name.startsWith("ab1-"));
    expect(byName(mine, "ab1-bastion-subnet").inputs).toMatchObject({
      resourceGroupName: "rg-generated",
      virtualNetworkName: "vnet-generated",
      subnetName: "AzureBastionSubnet",
      addressPrefix: "10.43.2.0/26",
    });
    const bastion = byName(mine, "ab1-bastion").inputs;
    expect(bastion.sku).toStrictEqual({ name: "Standard" });
    expect(bastion.enableTunneling).toBe(true);
    expect(byName(mine, "ab1-bastion-ip").inputs.sku).toStrictEqual({ name: "Standard" });
    const rules = (byName(mine, "ab1-nsg").inputs.securityRules as Record<string, unknown>[])
      .filter((r) => r.access === "Allow")
      .map((r) => `${String(r.destinationPortRange)} from ${String(r.sourceAddressPrefix)}`);
    expect(rules).toStrictEqual(["22 from 10.43.2.0/26", "443 from 198.51.100.0/24"]);
    const steps = mine.filter((r) => r.type.startsWith("command:"));
    expect(steps.every((r) => r.type === "command:local:Command")).toBe(true);
    const gate = byName(mine, "ab1-ready").inputs;
    expect(isSecretInput(gate.environment)).toBe(true);
    expect(plain(gate.environment)).toStrictEqual({
      DOCKERHOST_SSH_KNOWN_HOSTS: `10.43.1.4 ${HOST_PUBLIC_KEY}`,
      DOCKERHOST_SSH_TARGET: "azureuser@10.43.1.4",
      DOCKERHOST_SSH_PORT: "22",
      DOCKERHOST_SSH_PROXY: azureBastionProxyCommand(
        "bastion-generated",
        "rg-generated",
        "ab1-vm-id",
      ),
      DOCKERHOST_SSH_KEY: "PRIVATE",
    });
    // The containers' endpoints stay at the address clients reach.
    expect(await valueOf(host.endpoints)).toStrictEqual({ web: ["20.50.60.70:443"] });
  });

  it("refuses sshAllowedCidrs with a session, and a given subnet without its Bastion, at preview", () => {
    expect(
      configProblems(
        () =>
          new AzureDockerHost("ab2", {
            sshPublicKey: DEPLOYER_PUBLIC_KEY,
            sshAccess: "session",
            sshAllowedCidrs: ["203.0.113.7/32"],
            subnetId:
              "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/a",
          }),
      ),
    ).toStrictEqual([
      'bastion: required with sshAccess: "session" and subnetId: the host is in your VNet, where dockerhost does not make a Bastion. Give your Bastion (Standard SKU or above, native client support on) as { name, resourceGroupName, subnetCidr }, or leave subnetId out so that the host makes its own VNet and Bastion.',
      'sshAllowedCidrs: not used with sshAccess: "session", which opens no inbound port (SSH comes through the session service). Remove sshAllowedCidrs, or set sshAccess: "direct" to dial port 22 from those ranges.',
    ]);
  });
});
