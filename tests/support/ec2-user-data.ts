import { gunzipSync } from "node:zlib";
import { parse } from "yaml";
import { plain } from "./pulumi-mocks";

// An EC2 instance's user-data as a mock test recorded it, read back as cloud-init would: text as
// it is, or gzip'd base64 when over EC2's 16 KiB (ec2-user-data.ts; strict's is).

export interface WrittenFile {
  path: string;
  content: string;
  permissions: string;
}

export function writtenFiles(instanceInputs: Record<string, unknown>): WrittenFile[] {
  const packed = plain(instanceInputs.userDataBase64);
  const text = packed
    ? gunzipSync(Buffer.from(String(packed), "base64")).toString()
    : String(plain(instanceInputs.userData));
  return (parse(text.replace(/^#cloud-config\n/, "")) as { write_files: WrittenFile[] })
    .write_files;
}

/** An Azure VM's files, from its customData (base64 of the cloud-config, azure-docker-host.ts). */
export function azureWrittenFiles(vmInputs: Record<string, unknown>): WrittenFile[] {
  const vm = plain(vmInputs.osProfile) as { customData: string };
  const text = Buffer.from(vm.customData, "base64").toString("utf8");
  return (parse(text) as { write_files: WrittenFile[] }).write_files;
}
