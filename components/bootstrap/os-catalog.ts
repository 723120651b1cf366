import type { Arch, Cloud, EngineSource, OsName, SelinuxMode } from "./types";

// What each supported OS is, as data: every difference between distributions and clouds lives
// here, so the rendering and the cloud components never branch on an OS name.

export type PackageManager = "apt" | "dnf";

/** Docker's own signed repository, as the distribution's package manager consumes it. */
export interface DockerCeRepo {
  /** Base URL of the repository for this distribution. */
  url: string;
  /** apt suite (codename); absent for dnf repositories. */
  suite?: string;
  /**
   * dnf: the release directory. Not dnf's $releasever, which is a minor version ("9.4") on
   * EUS-locked images, where Docker's repository has no directory (docker-ce-packaging#1184).
   */
  release?: string;
}

export interface AwsImageLookup {
  /** An SSM public parameter that holds the current AMI id, where the publisher maintains one. */
  ssmParameter?: string;
  /** Otherwise: the AMIs of this owner whose name matches `namePattern` ... */
  owner?: string;
  /** ... with `{minor}` standing for the minor release, tried from the highest down. */
  namePattern?: string;
  /** The highest minor release the pattern is tried with. */
  newestMinor?: number;
}

export interface AzureImage {
  publisher: string;
  offer: string;
  sku: string;
  version: string;
  /**
   * Gen2 images with secure boot support; Trusted Launch is refused for the others. Azure runs
   * Trusted Launch on x64 and Arm64 Gen2 VMs alike (learn.microsoft.com, "Trusted Launch FAQ").
   */
  trustedLaunch: boolean;
}

/** Where the catalog has no image for a cloud and arch on purpose: why, and what to do instead. */
export type CatalogGap = string;

export interface OsEntry {
  name: OsName;
  packageManager: PackageManager;
  /** Default login user per cloud (the image's cloud-init default user). */
  defaultUser: Record<Cloud, string>;
  engine: {
    defaultSource: EngineSource;
    /** The distribution's engine packages; undefined where the distribution ships none. */
    distroPackages?: string[];
    dockerCe?: DockerCeRepo;
    /** Files that must hold these contents before the engine package is installed. */
    presetFiles?: { path: string; content: string }[];
  };
  /** Extra packages the hardening needs on this OS (audit daemon). */
  auditPackage: string;
  /**
   * How security fixes reach a running host under `strict`: the distribution's unattended
   * updater, or none where the image is locked to its release and fixes come as a new image.
   */
  securityUpdates: "unattended-upgrades" | "dnf-automatic" | "new-image";
  selinux: {
    /** Whether the distribution can run SELinux at all. */
    available: boolean;
    /** The mode the image boots in when nobody asks for another. */
    imageDefault: Exclude<SelinuxMode, "os-default">;
    /** Packages installed with the engine that make container confinement work. */
    packages: string[];
    /** The policy's name under /etc/selinux (SELINUXTYPE). */
    policyType: string;
    /**
     * Where the image runs without SELinux: what turning it on takes, before one reboot. The
     * packages come first (the policy must exist to label files); the container policy module is
     * the project's own where the distribution ships none.
     */
    activation?: { packages: string[]; containerPolicyModule: boolean };
  };
  aws?: Record<Arch, AwsImageLookup>;
  azure?: Partial<Record<Arch, AzureImage>>;
  azureGaps?: Partial<Record<Arch, CatalogGap>>;
}

const debArch = (arch: Arch): string => (arch === "x86_64" ? "amd64" : "arm64");

function awsImages(lookup: (arch: Arch) => AwsImageLookup): Record<Arch, AwsImageLookup> {
  return { x86_64: lookup("x86_64"), arm64: lookup("arm64") };
}

export const OS_CATALOG: Record<OsName, OsEntry> = {
  "amazon-linux-2023": {
    name: "amazon-linux-2023",
    packageManager: "dnf",
    defaultUser: { aws: "ec2-user", azure: "azureuser", local: "ec2-user" },
    engine: {
      defaultSource: "distro",
      distroPackages: ["docker"],
      // AL2023's docker unit passes --default-ulimit from this file; daemon.json sets ulimits
      // too, and dockerd refuses to start when a directive is given both ways.
      presetFiles: [{ path: "/etc/sysconfig/docker", content: 'OPTIONS=""\n' }],
    },
    auditPackage: "audit",
    // AL2023 locks each AMI to its release version; dnf (so dnf-automatic) sees no newer
    // packages until the release is moved, which AWS advises against doing unattended
    // ("Deterministic upgrades through versioned repositories", AL2023 User Guide).
    securityUpdates: "new-image",
    selinux: {
      available: true,
      imageDefault: "permissive",
      packages: ["container-selinux"],
      policyType: "targeted",
    },
    aws: awsImages((arch) => ({
      ssmParameter: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
    })),
  },
  "ubuntu-24.04": {
    name: "ubuntu-24.04",
    packageManager: "apt",
    defaultUser: { aws: "ubuntu", azure: "azureuser", local: "ubuntu" },
    engine: {
      defaultSource: "distro",
      distroPackages: ["docker.io", "apparmor"],
      dockerCe: { url: "https://download.docker.com/linux/ubuntu", suite: "noble" },
    },
    auditPackage: "auditd",
    securityUpdates: "unattended-upgrades",
    selinux: { available: false, imageDefault: "disabled", packages: [], policyType: "" },
    aws: awsImages((arch) => ({
      ssmParameter: `/aws/service/canonical/ubuntu/server/24.04/stable/current/${debArch(arch)}/hvm/ebs-gp3/ami-id`,
    })),
    azure: {
      x86_64: {
        publisher: "Canonical",
        offer: "ubuntu-24_04-lts",
        sku: "server",
        version: "latest",
        trustedLaunch: true,
      },
      arm64: {
        publisher: "Canonical",
        offer: "ubuntu-24_04-lts",
        sku: "server-arm64",
        version: "latest",
        trustedLaunch: true,
      },
    },
  },
  "debian-12": {
    name: "debian-12",
    packageManager: "apt",
    defaultUser: { aws: "admin", azure: "azureuser", local: "debian" },
    engine: {
      defaultSource: "distro",
      // Docker 20.10 refuses to start containers without apparmor_parser, which is only a
      // recommendation of docker.io; recommendations are not installed.
      distroPackages: ["docker.io", "apparmor"],
      dockerCe: { url: "https://download.docker.com/linux/debian", suite: "bookworm" },
    },
    auditPackage: "auditd",
    securityUpdates: "unattended-upgrades",
    selinux: {
      available: true,
      imageDefault: "disabled",
      packages: [],
      policyType: "default",
      activation: {
        // python3-selinux lets cloud-init label what it writes (authorized_keys: sshd reads
        // only ssh_home_t under enforcing); selinux-utils has getenforce/setenforce.
        packages: ["selinux-policy-default", "selinux-utils", "policycoreutils", "python3-selinux"],
        containerPolicyModule: true,
      },
    },
    aws: awsImages((arch) => ({
      ssmParameter: `/aws/service/debian/release/12/latest/${debArch(arch)}`,
    })),
    azure: {
      x86_64: {
        publisher: "Debian",
        offer: "debian-12",
        sku: "12-gen2",
        version: "latest",
        trustedLaunch: true,
      },
      arm64: {
        publisher: "Debian",
        offer: "debian-12",
        sku: "12-arm64",
        version: "latest",
        trustedLaunch: true,
      },
    },
  },
  "rhel-9": {
    name: "rhel-9",
    packageManager: "dnf",
    defaultUser: { aws: "ec2-user", azure: "azureuser", local: "cloud-user" },
    engine: {
      // RHEL ships podman, not Docker: the engine comes from Docker's repository.
      defaultSource: "docker-ce",
      dockerCe: { url: "https://download.docker.com/linux/rhel", release: "9" },
    },
    auditPackage: "audit",
    securityUpdates: "dnf-automatic",
    selinux: {
      available: true,
      imageDefault: "enforcing",
      packages: ["container-selinux"],
      policyType: "targeted",
    },
    // Red Hat re-publishes older minors after newer ones, so the newest upload is not the
    // newest release: each minor is looked up on its own (components/aws/ami.ts). RHEL 9's
    // last minor release is 9.10 (Red Hat's RHEL life cycle).
    aws: awsImages((arch) => ({
      owner: "309956199498",
      namePattern: `RHEL-9.{minor}.*_HVM-*-${arch}-*-Hourly2-GP3`,
      newestMinor: 10,
    })),
    azure: {
      x86_64: {
        publisher: "RedHat",
        offer: "RHEL",
        sku: "9-lvm-gen2",
        version: "latest",
        trustedLaunch: true,
      },
    },
    // Red Hat publishes RHEL for Arm64 on Azure per minor release only (offer rhel-arm64, SKUs
    // such as 9_6-arm64), each ending with its EUS term: no SKU here would stay supported.
    azureGaps: {
      arm64:
        'Red Hat publishes RHEL 9 for Arm64 on Azure per minor release (offer "rhel-arm64", SKUs like "9_6-arm64"), each supported only until its EUS term ends. Pass image: { publisher: "RedHat", offer: "rhel-arm64", sku: "<a supported 9_N-arm64 SKU>" } (list them with: az vm image list --publisher RedHat --offer rhel-arm64 --all), or use arch: "x86_64".',
    },
  },
};

/** Docker's release signing key (apt and rpm repositories), checked before the key is trusted. */
export const DOCKER_RELEASE_KEY_FINGERPRINT = "9DC858229FC7DD38854AE2D88D81803C0EBFCD88";
export const DOCKER_RPM_KEY_FINGERPRINT = "060A61C51B558A7F742B77AAC52FEB6B621E9F35";

/** Where each cloud attaches the separate Docker data disk, as stable device paths. */
export const CLOUD_DATA_DISK_DEVICES: Record<Cloud, (diskId: string) => string[]> = {
  // Nitro exposes EBS volumes as NVMe devices whose serial is the volume id without its dash;
  // Xen instances keep the requested name.
  aws: (volumeId) => [
    `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace("-", "")}`,
    "/dev/xvdf",
    "/dev/sdf",
  ],
  // Azure's udev rules name data disks by LUN; newer images use the data/by-lun layout.
  azure: (lun) => [`/dev/disk/azure/data/by-lun/${lun}`, `/dev/disk/azure/scsi1/lun${lun}`],
  // The local VM attaches the disk with this virtio serial.
  local: (serial) => [`/dev/disk/by-id/virtio-${serial}`],
};
