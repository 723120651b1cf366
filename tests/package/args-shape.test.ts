import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { analyzedSchema, ROOT, shapeSource } from "../support/analyzed-schema";
import { formatted } from "../support/prettier-cli";
import { declarationOrders } from "../support/declaration-order";

// The components' args are declared once, as TypeScript interfaces. Pulumi's analyzer reads them
// into the schema other languages' SDKs come from; core/component-inputs.json is that schema's
// inputs and types, which core/args-shape.ts turns into the ajv shape checks. A changed interface
// fails this test until the file is written again
// (DOCKERHOST_WRITE_SHAPE=1 npm test -- --selectProjects package -- args-shape).

const FILE = path.join(ROOT, "components", "core", "component-inputs.json");

describe("core/component-inputs.json: the shape checks' source, from the interfaces", () => {
  it("is what the analyzer reads from the components' TypeScript interfaces", async () => {
    const source = formatted(
      FILE,
      JSON.stringify(shapeSource(await analyzedSchema(), declarationOrders())),
    );
    if (process.env.DOCKERHOST_WRITE_SHAPE) fs.writeFileSync(FILE, source);
    expect(fs.readFileSync(FILE, "utf8")).toBe(source);
  });
});
