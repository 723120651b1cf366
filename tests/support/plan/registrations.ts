import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

// What the engine receives for each resource: the RegisterResourceRequest as the Node SDK sends
// it (sdk/nodejs/runtime/resource.ts, registerResource), read at the mock monitor. Its
// dependencies are the ones the engine orders steps by: every resource an input Output came
// from, components expanded to their custom children, plus `dependsOn` (prepareResource,
// getAllTransitivelyReferencedResourceURNs); its options are the ones the step generator reads.

export interface Registration {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** Every resource this one waits for (`dependencies`). */
  dependencies: string[];
  /** Per input property, the resources its value came from (`propertyDependencies`). */
  propertyDependencies: Record<string, string[]>;
  deleteBeforeReplace: boolean;
  /** Whether the program set `deleteBeforeReplace` at all (false: the provider's default holds). */
  deleteBeforeReplaceDefined: boolean;
  replaceOnChanges: string[];
  ignoreChanges: string[];
  /** The inputs as sent (secrets as their wrapper objects, unknowns as the unknown marker). */
  inputs: Record<string, unknown>;
  /** The provider resource's URN ("" for the default provider); the engine waits for it too. */
  provider: string;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(f: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getReplaceonchangesList(): string[];
  getIgnorechangesList(): string[];
  getProvider(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

type MonitorWithUrns = { newUrn(parent: string, type: string, name: string): string };

/** Records every registration from now on, in the order the SDK sends them. */
export function recordRegistrations(): Registration[] {
  const recorded: Registration[] = [];
  const proto = MockMonitor.prototype as unknown as {
    registerResource(req: RegisterRequest, callback: unknown): Promise<void>;
  };
  const original = proto.registerResource;
  proto.registerResource = function (this: MonitorWithUrns, req, callback) {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = deps.getUrnsList();
    });
    recorded.push({
      urn: this.newUrn(req.getParent(), req.getType(), req.getName()),
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      deleteBeforeReplace: req.getDeletebeforereplace(),
      deleteBeforeReplaceDefined: req.getDeletebeforereplacedefined(),
      replaceOnChanges: req.getReplaceonchangesList(),
      ignoreChanges: req.getIgnorechangesList(),
      inputs: req.getObject()?.toJavaScript() ?? {},
      // A provider reference is `<urn>::<id>`.
      provider: req.getProvider().split("::").slice(0, -1).join("::"),
    });
    return original.call(this, req, callback);
  };
  return recorded;
}
