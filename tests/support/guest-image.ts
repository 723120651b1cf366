import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// A Debian 12 guest built from Debian's packages, standing in for the "genericcloud" image:
// cloud-init (NoCloud), OpenSSH, sudo and a kernel, nothing of Docker. It is cached outside the
// repo, keyed by a hash of this recipe, so a change here rebuilds it and nothing else does.

export const MIRROR = "http://deb.debian.org/debian";
const SECURITY_MIRROR = "http://deb.debian.org/debian-security";

const PACKAGES = [
  "systemd-sysv",
  "udev",
  "kmod",
  "dbus",
  "iproute2",
  "ifupdown",
  "isc-dhcp-client",
  "netbase",
  "e2fsprogs",
  "procps",
  "sudo",
  "linux-image-amd64",
  "cloud-init",
  "openssh-server",
  "ca-certificates",
  "curl",
];

/**
 * Run inside the image after packages are in. Each line is a fact from notes/kvm-guest.md:
 * no initramfs rebuilds (555 s under emulation), no DNS (the guest reaches the mirror through a
 * hosts line from the kernel command line), NoCloud only, DHCP on eth0, no baked host keys.
 */
const CUSTOMIZE = `set -eu
root="$1"
sed -i 's/^update_initramfs=.*/update_initramfs=no/' "$root/etc/initramfs-tools/update-initramfs.conf"
: > "$root/etc/resolv.conf"
mkdir -p "$root/etc/dhcp/dhclient-enter-hooks.d"
printf 'make_resolv_conf() { :; }\\n' > "$root/etc/dhcp/dhclient-enter-hooks.d/no-dns"
printf 'auto lo\\niface lo inet loopback\\n\\nauto eth0\\niface eth0 inet dhcp\\n' > "$root/etc/network/interfaces"
printf 'datasource_list: [NoCloud]\\n' > "$root/etc/cloud/cloud.cfg.d/90-dockerhost-test.cfg"
cat > "$root/usr/local/sbin/hosts-from-cmdline" <<'EOF'
#!/bin/sh
# dockerhost.hosts=name:address[,name:address] on the kernel command line -> /etc/hosts
for arg in $(cat /proc/cmdline); do
  case "$arg" in dockerhost.hosts=*)
    echo "\${arg#dockerhost.hosts=}" | tr ',' '\\n' | while IFS=: read -r name addr; do
      echo "$addr $name" >> /etc/hosts
    done ;;
  esac
done
EOF
chmod 755 "$root/usr/local/sbin/hosts-from-cmdline"
cat > "$root/etc/systemd/system/hosts-from-cmdline.service" <<'EOF'
[Unit]
Description=Mirror address from the kernel command line
DefaultDependencies=no
After=local-fs.target
Before=network-pre.target cloud-init-local.service
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/hosts-from-cmdline
[Install]
WantedBy=sysinit.target
EOF
mkdir -p "$root/etc/systemd/system/sysinit.target.wants"
ln -sf /etc/systemd/system/hosts-from-cmdline.service "$root/etc/systemd/system/sysinit.target.wants/hosts-from-cmdline.service"
rm -f "$root"/etc/ssh/ssh_host_*
: > "$root/etc/machine-id"
cp "$root"/boot/vmlinuz-* "$root/../vmlinuz"
cp "$root"/boot/initrd.img-* "$root/../initrd.img"
`;

const SIZE = "4G";

export interface GuestImage {
  rootfs: string;
  kernel: string;
  initrd: string;
  /** Kernel arguments the image needs (root device, serial console, the mirror's address). */
  kernelArgs: string;
  buildSeconds?: number;
}

export function recipeHash(): string {
  return createHash("sha256")
    .update(JSON.stringify({ PACKAGES, CUSTOMIZE, SIZE, MIRROR, SECURITY_MIRROR }))
    .digest("hex")
    .slice(0, 16);
}

export function guestCacheDir(): string {
  return (
    process.env.DOCKERHOST_GUEST_CACHE ??
    path.join(os.homedir(), ".cache", "dockerhost", "guest-images")
  );
}

/** The mirror's address as this machine resolves it; the guest gets it as a hosts line. */
export function mirrorHostsArg(): string {
  const host = new URL(MIRROR).hostname;
  const line = execFileSync("getent", ["ahostsv4", host], { encoding: "utf8" });
  const address = line.split(/\s+/)[0];
  if (!address) throw new Error(`cannot resolve ${host} on this machine`);
  return `dockerhost.hosts=${host}:${address}`;
}

function imageFor(dir: string): GuestImage {
  return {
    rootfs: path.join(dir, "rootfs.raw"),
    kernel: path.join(dir, "vmlinuz"),
    initrd: path.join(dir, "initrd.img"),
    kernelArgs: `root=LABEL=root rw console=ttyS0 net.ifnames=0 ${mirrorHostsArg()}`,
  };
}

const BUILD_LOCK_STALE_MS = 15 * 60_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The VM scenarios run in parallel (one process each): one builds the image, the other waits for
 * its "complete" mark. A lock left by a killed run is taken over once it is older than a build.
 */
function withBuildLock<T>(dir: string, build: () => T, done: () => T): T {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    if (fs.existsSync(path.join(dir, "complete"))) return done();
    try {
      fs.mkdirSync(lock);
    } catch {
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > BUILD_LOCK_STALE_MS)
        fs.rmSync(lock, { recursive: true, force: true });
      sleepSync(2000);
      continue;
    }
    try {
      return fs.existsSync(path.join(dir, "complete")) ? done() : build();
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** The cached image, built first when the recipe changed (about 80-120 s here). */
export function ensureGuestImage(log: (line: string) => void = console.log): GuestImage {
  const dir = path.join(guestCacheDir(), `debian-12-${recipeHash()}`);
  const image = imageFor(dir);
  return withBuildLock(
    dir,
    () => buildGuestImage(dir, image, log),
    () => image,
  );
}

function buildGuestImage(dir: string, image: GuestImage, log: (line: string) => void): GuestImage {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const tree = path.join(dir, "tree");
  const customize = path.join(dir, "customize.sh");
  fs.writeFileSync(customize, CUSTOMIZE, { mode: 0o755 });
  const started = Date.now();
  log(`guest image: building ${dir} with mmdebstrap`);
  const sources = [
    `deb ${MIRROR} bookworm main`,
    `deb ${MIRROR} bookworm-updates main`,
    `deb ${SECURITY_MIRROR} bookworm-security main`,
  ].join("\n");
  execFileSync(
    "mmdebstrap",
    [
      "--variant=apt",
      "--mode=root",
      "--quiet",
      '--aptopt=Acquire::Languages "none"',
      `--include=${PACKAGES.join(",")}`,
      `--customize-hook=sh ${customize} "$1"`,
      "bookworm",
      tree,
      sources,
    ],
    { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, LANG: "C.UTF-8" } },
  );
  execFileSync("truncate", ["-s", SIZE, image.rootfs]);
  execFileSync("mkfs.ext4", ["-q", "-L", "root", "-d", tree, image.rootfs], { stdio: "inherit" });
  fs.rmSync(tree, { recursive: true, force: true });
  const buildSeconds = (Date.now() - started) / 1000;
  fs.writeFileSync(path.join(dir, "complete"), `${buildSeconds}\n`);
  log(`guest image: built in ${buildSeconds.toFixed(0)} s`);
  return { ...image, buildSeconds };
}

/**
 * The guest image laid out like Debian's image site, for the fetch the first command makes: the
 * root filesystem as `debian-12-genericcloud-amd64.qcow2` and a SHA512SUMS beside it, written
 * as `sha512sum` writes it. Cached next to the image; SHA512SUMS, written last, marks it done.
 */
export function publishImageSite(image: GuestImage, log: (line: string) => void): string {
  const dir = `${path.dirname(image.rootfs)}-site`;
  const sums = path.join(dir, "SHA512SUMS");
  if (fs.existsSync(sums)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const name = "debian-12-genericcloud-amd64.qcow2";
  const started = Date.now();
  execFileSync("qemu-img", ["convert", "-O", "qcow2", image.rootfs, path.join(dir, name)]);
  const hash = execFileSync("sha512sum", [name], { cwd: dir, encoding: "utf8" });
  fs.writeFileSync(`${sums}.part`, hash);
  fs.renameSync(`${sums}.part`, sums);
  log(`image site: ${dir} published in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return dir;
}
