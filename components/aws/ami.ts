import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { OS_CATALOG, type AwsImageLookup } from "../bootstrap/os-catalog";
import type { Arch, OsName } from "../bootstrap/types";

/** The AMIs of one minor release, newest upload first (getAmiIds sorts by creation date). */
export interface MinorReleaseImages {
  minor: number;
  ids: string[];
}

/**
 * The newest release's newest upload. `mostRecent` alone sorts by creation date, and a
 * publisher that re-publishes an older minor (a refreshed 9.4 after 9.6) would win with it.
 */
export function newestReleaseImage(releases: MinorReleaseImages[], what: string): string {
  const newest = [...releases].sort((a, b) => b.minor - a.minor).find((r) => r.ids.length > 0);
  if (!newest) {
    throw new Error(
      `${what}: no AMI matches the catalog's name pattern in this region. Pass ami explicitly.`,
    );
  }
  return newest.ids[0];
}

function releaseImages(
  lookup: AwsImageLookup,
  arch: Arch,
  minor: number,
  parent: pulumi.Resource,
): pulumi.Output<MinorReleaseImages> {
  const name = (lookup.namePattern ?? "").replace("{minor}", String(minor));
  return aws.ec2
    .getAmiIdsOutput(
      {
        owners: [lookup.owner ?? ""],
        filters: [
          { name: "name", values: [name] },
          { name: "architecture", values: [arch] },
          { name: "state", values: ["available"] },
        ],
      },
      { parent },
    )
    .ids.apply((ids) => ({ minor, ids }));
}

/** The catalog's AMI for an OS and arch: the publisher's SSM parameter, or its newest release. */
export function catalogAmi(os: OsName, arch: Arch, parent: pulumi.Resource): pulumi.Output<string> {
  const lookup = OS_CATALOG[os].aws?.[arch];
  if (!lookup) throw new Error(`${os}/${arch}: no AWS image in the catalog`);
  if (lookup.ssmParameter) {
    return aws.ssm.getParameterOutput({ name: lookup.ssmParameter }, { parent }).value;
  }
  const minors = Array.from({ length: (lookup.newestMinor ?? 0) + 1 }, (_, minor) => minor);
  return pulumi
    .all(minors.map((minor) => releaseImages(lookup, arch, minor, parent)))
    .apply((releases) => newestReleaseImage(releases, `${os}/${arch}`));
}
