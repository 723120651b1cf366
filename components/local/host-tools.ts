import { findOnPath } from "../remote/find-on-path";

// The programs a local VM needs on the deployer's machine, and the Debian/Ubuntu package of each,
// so a missing one is an instruction rather than an ENOENT.

export const HOST_TOOLS = {
  "qemu-system-x86_64": "qemu-system-x86",
  "qemu-img": "qemu-utils",
  "cloud-localds": "cloud-image-utils",
} as const;
export type HostTool = keyof typeof HOST_TOOLS;

export function missingToolsMessage(missing: HostTool[]): string {
  const packages = [...new Set(missing.map((t) => HOST_TOOLS[t]))].join(" ");
  return (
    `local VM: ${missing.join(", ")} not found on PATH; ` +
    `install with \`sudo apt-get install ${packages}\` (Debian/Ubuntu)`
  );
}

/** The absolute path of each tool, or one error naming every missing tool and its package. */
export function requireHostTools(): Record<HostTool, string> {
  const found: Partial<Record<HostTool, string>> = {};
  const missing: HostTool[] = [];
  for (const tool of Object.keys(HOST_TOOLS) as HostTool[]) {
    const at = findOnPath(tool);
    if (at) found[tool] = at;
    else missing.push(tool);
  }
  if (missing.length) throw new Error(missingToolsMessage(missing));
  return found as Record<HostTool, string>;
}
