import * as fs from "node:fs";
import * as path from "node:path";

// The README's tables are data the code also holds; tests compare them cell by cell, not by
// spacing (Prettier pads the README's tables).

const README = path.join(__dirname, "..", "..", "README.md");

/** A markdown table's rows as trimmed cells, without the separator row. */
export function tableCells(table: string): string[][] {
  return table
    .split("\n")
    .filter((line) => line.startsWith("|") && !line.startsWith("| -"))
    .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

/** The cells of the first table after a README heading. */
export function readmeTableAfter(heading: string): string[][] {
  const section = fs.readFileSync(README, "utf8").split(heading)[1] ?? "";
  return tableCells(section.split("\n\n").find((block) => block.startsWith("|")) ?? "");
}
