import * as fs from "node:fs";
import * as path from "node:path";

// The README and the pages of docs/ hold tables and snippets that the code also holds or that
// users copy; tests read them from the page that holds them and compare them cell by cell, not by
// spacing (Prettier pads the tables).

const ROOT = path.join(__dirname, "..", "..");

/** README.md, or a page of docs/ by its file name ("compose.md"). */
export function readDoc(page: string): string {
  const file = page === "README.md" ? path.join(ROOT, page) : path.join(ROOT, "docs", page);
  return fs.readFileSync(file, "utf8");
}

/** Every page of docs/, by file name. */
export function docPages(): string[] {
  return fs
    .readdirSync(path.join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort();
}

/** A markdown table's rows as trimmed cells, without the separator row. */
export function tableCells(table: string): string[][] {
  return table
    .split("\n")
    .filter((line) => line.startsWith("|") && !line.startsWith("| -"))
    .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

/** The cells of the first table after a heading of a page. */
export function docTableAfter(page: string, heading: string): string[][] {
  const section = readDoc(page).split(heading)[1] ?? "";
  return tableCells(section.split("\n\n").find((block) => block.startsWith("|")) ?? "");
}
