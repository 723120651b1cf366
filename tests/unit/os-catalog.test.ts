import { describe, expect, it } from "@jest/globals";
import { CLOUD_DATA_DISK_DEVICES, OS_CATALOG } from "../../components/bootstrap/os-catalog";

describe("OS catalog", () => {
  const rows: [string, string, string, string, string][] = [
    // os, aws user, engine source, selinux default, x86_64 AWS image lookup
    [
      "amazon-linux-2023",
      "ec2-user",
      "distro",
      "permissive",
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    ],
    [
      "ubuntu-24.04",
      "ubuntu",
      "distro",
      "disabled",
      "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
    ],
    ["debian-12", "admin", "distro", "disabled", "/aws/service/debian/release/12/latest/amd64"],
    [
      "rhel-9",
      "ec2-user",
      "docker-ce",
      "enforcing",
      "309956199498 RHEL-9.{minor}.*_HVM-*-x86_64-*-Hourly2-GP3",
    ],
  ];
  for (const [os, user, source, selinux, image] of rows) {
    it(os, () => {
      const e = OS_CATALOG[os as keyof typeof OS_CATALOG];
      const lookup = e.aws?.x86_64;
      expect([
        e.defaultUser.aws,
        e.engine.defaultSource,
        e.selinux.imageDefault,
        lookup?.ssmParameter ?? `${lookup?.owner} ${lookup?.namePattern}`,
      ]).toStrictEqual([user, source, selinux, image]);
    });
  }
  it("arm64 images", () => {
    expect(OS_CATALOG["debian-12"].aws?.arm64.ssmParameter).toBe(
      "/aws/service/debian/release/12/latest/arm64",
    );
    expect(OS_CATALOG["amazon-linux-2023"].aws?.arm64.ssmParameter).toBe(
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    );
  });
  it("data disk devices per cloud", () => {
    expect(CLOUD_DATA_DISK_DEVICES.aws("vol-0abc")).toStrictEqual([
      "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0abc",
      "/dev/xvdf",
      "/dev/sdf",
    ]);
    expect(CLOUD_DATA_DISK_DEVICES.azure("0")).toStrictEqual([
      "/dev/disk/azure/data/by-lun/0",
      "/dev/disk/azure/scsi1/lun0",
    ]);
    expect(CLOUD_DATA_DISK_DEVICES.local("dockerhost-data")).toStrictEqual([
      "/dev/disk/by-id/virtio-dockerhost-data",
    ]);
  });
});
