import { describe, expect, it } from "@jest/globals";
import { recordRegistrations } from "../plan/registrations";
import { useMocks } from "../pulumi-mocks";
import {
  DERIVE_TIMEOUT_MS,
  deriveChanges,
  type ChangeRun,
  type FieldChange,
} from "./field-changes";
import { onChangeSection, type Effect } from "./on-change";
import { keepsSection } from "./on-change-section";
import inputs from "../../../components/core/component-inputs.json";

// The shape every tests/package/reference-on-change*.test.ts has: the change table names every
// input (of a component, or every field of a type), and each derived section equals the page's.

export interface OnChangeSection {
  /** The component or type, as inputs.json names it: the section's heading. */
  heading: string;
  /** The change table's keys. */
  fields: string[];
  /** A line on what was deployed. */
  deployed: string;
  runs: () => ChangeRun[];
  effect: (c: FieldChange) => Effect;
}

const knownInputs = (heading: string): string[] => {
  const component = (inputs.components as Record<string, { properties: object }>)[heading];
  const type = (inputs.types as Record<string, { properties?: object }>)[heading];
  return Object.keys(component?.properties ?? type?.properties ?? {}).sort();
};

export function describeOnChange(stack: string, sections: OnChangeSection[]): void {
  const recorded = useMocks(stack);
  const registrations = recordRegistrations();
  describe("docs/reference/on-change.md: what a change of each input does", () => {
    it.each(sections.map((s) => [s.heading, s] as const))("%s: a change for every input", (_h, s) =>
      expect([...s.fields].sort()).toStrictEqual(knownInputs(s.heading)),
    );

    it.each(sections.map((s) => [s.heading, s] as const))(
      "%s: is what the engine's rules give for each",
      async (heading, s) => {
        const changes = await deriveChanges(registrations, recorded, s.runs());
        const section = onChangeSection(
          heading,
          s.deployed,
          changes.map((c) => ({ ...c, effect: s.effect(c) })),
        );
        const { written, wanted } = keepsSection(heading, section);
        expect(written).toBe(wanted);
      },
      DERIVE_TIMEOUT_MS,
    );
  });
}
