import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { OS_CATALOG } from "../bootstrap/os-catalog";
import type { Arch, OsName } from "../bootstrap/types";

/** The catalog's AMI for an OS and arch: the publisher's SSM parameter, or its newest image. */
export function catalogAmi(os: OsName, arch: Arch, parent: pulumi.Resource): pulumi.Output<string> {
  const lookup = OS_CATALOG[os].aws?.[arch];
  if (!lookup) throw new Error(`${os}/${arch}: no AWS image in the catalog`);
  if (lookup.ssmParameter) {
    return aws.ssm.getParameterOutput({ name: lookup.ssmParameter }, { parent }).value;
  }
  return aws.ec2.getAmiOutput(
    {
      owners: [lookup.owner ?? ""],
      mostRecent: true,
      filters: [
        { name: "name", values: [lookup.namePattern ?? ""] },
        { name: "architecture", values: [arch] },
        { name: "state", values: ["available"] },
      ],
    },
    { parent },
  ).id;
}
