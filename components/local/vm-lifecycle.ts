import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { chooseAccelerator, probeAcceleratorFacts } from "./accelerator";
import { requireHostTools } from "./host-tools";
import { busyPorts } from "./port-check";
import { qemuArgs } from "./qemu-args";
import { vmFiles, type LocalVmConfig, type PortForward } from "./vm-config";

// A local VM's whole life as plain functions: the component's commands call them through
// vm-cli, and the VM tests call them directly.

const run = promisify(execFile);

export interface RunningVm {
  pid: number;
  accel: "kvm" | "tcg";
  sshPort: number;
  forwards: PortForward[];
  serialLog: string;
  startedAt: string;
}

async function imageFormat(qemuImg: string, image: string): Promise<string> {
  const { stdout } = await run(qemuImg, ["info", "--output=json", image]);
  return (JSON.parse(stdout) as { format: string }).format;
}

function readPid(pidfile: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidfile, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of this directory's QEMU while it runs; a recycled pid of another process is not it. */
export function runningPid(dir: string): number | undefined {
  const files = vmFiles(dir);
  const pid = readPid(files.pidfile);
  if (!pid) return undefined;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes(files.pidfile) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function startVm(
  vm: LocalVmConfig,
  warn: (message: string) => void = (m) => process.stderr.write(`warning: ${m}\n`),
): Promise<RunningVm> {
  const tools = requireHostTools();
  const choice = chooseAccelerator(vm.accelerator, probeAcceleratorFacts());
  if (choice.warning) warn(choice.warning);
  const already = runningPid(vm.dir);
  if (already) throw new Error(`local VM ${vm.name} already runs (pid ${already}) in ${vm.dir}`);
  const busy = await busyPorts(vm.sshPort, vm.forwards);
  if (busy.length) throw new Error(`local VM ${vm.name}: ${busy.join("; ")}`);

  const files = vmFiles(vm.dir);
  fs.rmSync(vm.dir, { recursive: true, force: true });
  fs.mkdirSync(vm.dir, { recursive: true, mode: 0o700 });
  const base = path.resolve(vm.baseImage);
  const format = await imageFormat(tools["qemu-img"], base);
  await run(tools["qemu-img"], [
    "create",
    "-q",
    "-f",
    "qcow2",
    "-F",
    format,
    "-b",
    base,
    files.overlay,
    ...(vm.diskSizeGb ? [`${vm.diskSizeGb}G`] : []),
  ]);

  // The user-data carries the host's private key: readable by this user only, and gone from
  // the directory once it is inside the seed.
  const userData = path.join(vm.dir, "user-data");
  const metaData = path.join(vm.dir, "meta-data");
  fs.writeFileSync(userData, vm.userData, { mode: 0o600 });
  fs.writeFileSync(metaData, `instance-id: ${vm.instanceId}\nlocal-hostname: ${vm.name}\n`);
  const oldUmask = process.umask(0o077);
  try {
    await run(tools["cloud-localds"], [files.seed, userData, metaData]);
  } finally {
    process.umask(oldUmask);
    fs.rmSync(userData, { force: true });
  }

  try {
    await run(tools["qemu-system-x86_64"], qemuArgs(vm, choice));
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr?.trim();
    throw new Error(`local VM ${vm.name}: qemu did not start: ${stderr || (e as Error).message}`);
  }
  const pid = readPid(files.pidfile);
  if (!pid)
    throw new Error(`local VM ${vm.name}: qemu started but wrote no pid to ${files.pidfile}`);
  const state: RunningVm = {
    pid,
    accel: choice.accel,
    sshPort: vm.sshPort,
    forwards: vm.forwards,
    serialLog: files.serialLog,
    startedAt: new Date().toISOString(),
  };
  fs.writeFileSync(files.state, JSON.stringify(state, null, 2));
  return state;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

/** Stops the VM's QEMU (TERM, then KILL after 15 s) and removes its directory. */
export async function stopVm(dir: string): Promise<{ stoppedPid?: number }> {
  const pid = runningPid(dir);
  if (pid) {
    process.kill(pid, "SIGTERM");
    if (!(await waitGone(pid, 15_000))) {
      process.kill(pid, "SIGKILL");
      if (!(await waitGone(pid, 5_000)))
        throw new Error(`local VM in ${dir}: qemu pid ${pid} survived SIGKILL`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { stoppedPid: pid };
}

/** Creates the data disk unless it exists: a replaced VM keeps its Docker data, as on a cloud. */
export async function ensureDataDisk(file: string, sizeGb: number): Promise<"created" | "kept"> {
  if (fs.existsSync(file)) return "kept";
  const { "qemu-img": qemuImg } = requireHostTools();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  await run(qemuImg, ["create", "-q", "-f", "qcow2", file, `${sizeGb}G`]);
  fs.chmodSync(file, 0o600);
  return "created";
}

export function removeDataDisk(file: string): void {
  fs.rmSync(file, { force: true });
  try {
    fs.rmdirSync(path.dirname(file));
  } catch {
    // other files remain beside it
  }
}
