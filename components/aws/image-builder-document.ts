import { Document, Scalar } from "yaml";

// The EC2 Image Builder component document (AWSTOE's YAML) that runs the bake. Pure, so its
// exact text is tested. Schema: "Use documents in AWSTOE" in the Image Builder user guide
// (schemaVersion 1.0, phases -> steps, the ExecuteBash action's `commands` list).

export const BAKE_SCRIPT_ON_BUILDER = "/tmp/dockerhost-bake.sh";

/**
 * The document: one build step that writes the bake script (base64: no YAML or shell quoting
 * of its text) and runs it. AWSTOE runs components as root.
 */
export function imageBuilderDocument(script: string, fingerprint: string): string {
  const schemaVersion = new Scalar(1);
  schemaVersion.minFractionDigits = 1;
  const doc = new Document({
    name: "dockerhost-install",
    description: `dockerhost: the install half of a Docker host (fingerprint ${fingerprint})`,
    schemaVersion,
    phases: [
      {
        name: "build",
        steps: [
          {
            name: "InstallDockerHost",
            action: "ExecuteBash",
            inputs: {
              commands: [
                `echo ${Buffer.from(script).toString("base64")} | base64 -d > ${BAKE_SCRIPT_ON_BUILDER}`,
                `sh ${BAKE_SCRIPT_ON_BUILDER}`,
                `rm -f ${BAKE_SCRIPT_ON_BUILDER}`,
              ],
            },
          },
        ],
      },
    ],
  });
  return doc.toString({ lineWidth: 0 });
}

/**
 * Image Builder versions are Major.Minor.Patch; a component's data cannot change under the same
 * version (the provider replaces it), so the version follows the fingerprint.
 */
export function bakeVersion(fingerprint: string): string {
  return `1.0.${parseInt(fingerprint.slice(0, 6), 16)}`;
}
