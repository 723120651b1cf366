import type { ContainerSpec } from "../core/container-spec";
import { CREDENTIAL_HELPER_PACKAGES } from "../bootstrap/credential-helpers";
import type { OsName } from "../bootstrap/types";

// Pulls from Amazon ECR by the host's own identity (`ecrRepositories` on an AWS host): the
// instance profile may read the named repositories and nothing else, and the host's
// docker-credential-ecr-login turns that into a registry token at each pull. No password
// exists anywhere, so none reaches config or state. Pure: names, ARNs, the policy, the checks.

/**
 * A private registry's host (ECR User Guide, "Private registry concepts":
 * `aws_account_id.dkr.ecr.region.amazonaws.com`, `.amazonaws.com.cn` in China), as the
 * packaged credential helpers (0.6.0, 0.7.1) match it (amazon-ecr-credential-helper
 * ecr-login/api/client.go; later releases accept more names).
 */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** ECR's repository name rule (CreateRepository, repositoryName), 2-256 characters. */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

const REPOSITORY_ARN = /^arn:(aws|aws-cn|aws-us-gov):ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/;

/** A repository the host may pull from; account and region absent: the host's own. */
export interface EcrRepository {
  name: string;
  account?: string;
  region?: string;
  partition?: string;
}

export function parseEcrRepository(entry: string): EcrRepository | undefined {
  const arn = REPOSITORY_ARN.exec(entry);
  const name = arn ? arn[4] : entry;
  if (name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) return undefined;
  return arn ? { name, partition: arn[1], region: arn[2], account: arn[3] } : { name };
}

/** An image in an ECR registry: its registry host and repository; undefined elsewhere. */
export function ecrImageOf(
  image: string,
): { registry: string; account: string; region: string; repository: string } | undefined {
  const slash = image.indexOf("/");
  if (slash < 0) return undefined;
  const registry = image.slice(0, slash);
  const host = ECR_HOST.exec(registry);
  if (!host) return undefined;
  const repository = image
    .slice(slash + 1)
    .replace(/@.*$/, "")
    .replace(/:[^/]*$/, "");
  return { registry, account: host[1], region: host[3], repository };
}

/** Whether `repositories` name the image's repository (a bare name: any account, checked at pull). */
export function namedRepository(image: string, repositories: EcrRepository[]): boolean {
  const ecr = ecrImageOf(image);
  if (!ecr) return false;
  return repositories.some(
    (r) =>
      r.name === ecr.repository &&
      (r.account === undefined || (r.account === ecr.account && r.region === ecr.region)),
  );
}

export interface HostAccount {
  partition: string;
  region: string;
  account: string;
  dnsSuffix: string;
}

export function repositoryArn(r: EcrRepository, own: HostAccount): string {
  return `arn:${r.partition ?? own.partition}:ecr:${r.region ?? own.region}:${r.account ?? own.account}:repository/${r.name}`;
}

/** The registry hosts the helper serves: the host's own, and each ARN's account and region (each also by its FIPS name). */
export function ecrRegistries(repositories: EcrRepository[], own: HostAccount): string[] {
  const hosts = repositories.flatMap((r) => {
    const suffix =
      r.partition === "aws-cn" ? "amazonaws.com.cn" : r.partition ? "amazonaws.com" : own.dnsSuffix;
    const account = r.account ?? own.account;
    const region = r.region ?? own.region;
    // The FIPS endpoint's name too, which ECR_HOST accepts as the same registry.
    return ["ecr", "ecr-fips"].map((ecr) => `${account}.dkr.${ecr}.${region}.${suffix}`);
  });
  return [...new Set(hosts)].sort();
}

/**
 * Pull only (Service Authorization Reference, Amazon ECR): GetAuthorizationToken takes no
 * resource, so it must name "*" (and grants only a token, which opens nothing by itself);
 * the layer and manifest reads take the repository resource type, so they name the repositories.
 */
export function ecrPullPolicy(repositoryArns: string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "RegistryToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "PullNamedRepositories",
        Effect: "Allow",
        Action: [
          "ecr:BatchCheckLayerAvailability",
          "ecr:GetDownloadUrlForLayer",
          "ecr:BatchGetImage",
        ],
        Resource: repositoryArns,
      },
    ],
  });
}

export interface EcrArgs {
  os?: OsName;
  ecrRepositories?: string[];
  containers?: { image?: unknown }[];
  registries?: { address: string }[];
}

export function ecrProblems(args: EcrArgs): string[] {
  const problems: string[] = [];
  const repositories: EcrRepository[] = [];
  (args.ecrRepositories ?? []).forEach((entry, i) => {
    const parsed = parseEcrRepository(entry);
    if (parsed) repositories.push(parsed);
    else
      problems.push(
        `ecrRepositories[${i}]: ${JSON.stringify(entry)} is neither a repository name (lowercase, e.g. "team/app") nor a repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>).`,
      );
  });
  const os = args.os ?? "amazon-linux-2023";
  if (repositories.length && !CREDENTIAL_HELPER_PACKAGES["ecr-login"][os])
    problems.push(
      `ecrRepositories: ${os} has no package for docker-credential-ecr-login (amazon-ecr-credential-helper), which pulls with the host's identity. Use os "amazon-linux-2023", "ubuntu-24.04" or "debian-12", or give the registry a username and password in registries.`,
    );
  const withPassword = new Set((args.registries ?? []).map((r) => r.address));
  (args.containers ?? []).forEach((c, i) => {
    const image = typeof c.image === "string" ? c.image : undefined;
    const ecr = image ? ecrImageOf(image) : undefined;
    if (!ecr || withPassword.has(ecr.registry) || namedRepository(image!, repositories)) return;
    problems.push(
      `containers[${i}].image: ${JSON.stringify(c.image)} is in ECR repository ${JSON.stringify(ecr.repository)}, which ecrRepositories does not name, so the host may not pull it. Add ${JSON.stringify(ecr.repository)} (or its ARN) to ecrRepositories.`,
    );
  });
  return problems;
}

export function ecrRepositoriesOf(args: EcrArgs): EcrRepository[] {
  return (args.ecrRepositories ?? [])
    .map(parseEcrRepository)
    .filter((r): r is EcrRepository => r !== undefined);
}

/**
 * The containers an AWS host pulls itself: images in its named repositories, and, where no
 * registry has a password, images known only at deploy (an Output, e.g. an aws.ecr.Repository's
 * URL), which the host's pull serves as well as the provider's. A container's own `pullOnHost`
 * wins; a built image is built on the host anyway.
 */
export function withHostPulls(
  containers: ContainerSpec[] | undefined,
  ecrRepositories: string[] | undefined,
  registries: { address: string }[] | undefined,
): ContainerSpec[] | undefined {
  const repositories = ecrRepositoriesOf({ ecrRepositories });
  if (!containers || repositories.length === 0) return containers;
  // An image known only at deploy may be in a registry with a password, which only the
  // provider has: with `registries` given, such a container says `pullOnHost` itself.
  const outputsOnHost = (registries ?? []).length === 0;
  return containers.map((c) => {
    if (c.build || c.pullOnHost !== undefined || c.image === undefined) return c;
    const hostPulls =
      typeof c.image === "string" ? namedRepository(c.image, repositories) : outputsOnHost;
    return hostPulls ? { ...c, pullOnHost: true } : c;
  });
}
