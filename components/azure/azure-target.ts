import { argsShape } from "../core/args-shape";
import { bakedImageProblems, type HostTarget } from "../host/host-args";
import type { AzureDockerHostArgs } from "./azure-docker-host";
import { azureImage, azureImageProblems } from "./image";
import { DEFAULT_VM_SIZE, vmSizeProblems } from "./vm-sizes";
import { acrProblems } from "./acr-pulls";
import { azureContainerLogsProblems, azureShipsLogs } from "./container-logs";
import { bastionProblems } from "./bastion";
import { secretStoreProblems } from "../services/cloud-secrets";

/** What checkHostArgs needs to know of Azure hosts. Pure: no resources, no cloud calls. */
export const AZURE_TARGET: HostTarget<AzureDockerHostArgs> = {
  cloud: "azure",
  defaultOs: "ubuntu-24.04",
  schema: argsShape("AzureDockerHost"),
  requireSshCidrs: true,
  sessionAccess: true,
  shippedLogDriver: (args) => (azureShipsLogs(args) ? "syslog" : undefined),
  cloudProblems: (args) => {
    const os = args.os ?? "ubuntu-24.04";
    const arch = args.arch ?? "x86_64";
    const size = args.vmSize ?? DEFAULT_VM_SIZE[arch];
    const problems = [
      ...vmSizeProblems(size, arch),
      ...acrProblems(args),
      ...azureContainerLogsProblems(args),
      ...bastionProblems(args),
      ...secretStoreProblems(args.containers, "keyVaultSecret", "an Azure host"),
      ...bakedImageProblems(
        args.bakedImage,
        "imageId",
        args.imageId !== undefined,
        "an AzureDockerHostImage's imageId output",
      ),
    ];
    if (args.imageId !== undefined) {
      // A gallery image the project baked supports Trusted Launch (its definition says so).
      if (args.image)
        problems.push(
          "imageId: give either image (a marketplace image) or imageId (a gallery image), not both.",
        );
      return problems;
    }
    const image = azureImage(os, arch, args.image);
    return [...problems, ...azureImageProblems(os, arch, image, args.trustedLaunch ?? true, size)];
  },
};
