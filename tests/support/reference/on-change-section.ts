import * as fs from "node:fs";
import { formatted } from "../prettier-cli";
import { ON_CHANGE_FILE, readOnChangePage, sectionOf, withSection } from "./on-change";

/**
 * A derived section of docs/reference/on-change.md against the page: both as Prettier formats
 * them. DOCKERHOST_WRITE_REFERENCE=1 writes the section into the page first.
 */
export function keepsSection(
  heading: string,
  section: string,
): { written: string; wanted: string } {
  const page = formatted(ON_CHANGE_FILE, withSection(readOnChangePage(), section));
  if (process.env.DOCKERHOST_WRITE_REFERENCE) fs.writeFileSync(ON_CHANGE_FILE, page);
  return {
    written: sectionOf(readOnChangePage() ?? "", heading),
    wanted: sectionOf(page, heading),
  };
}
