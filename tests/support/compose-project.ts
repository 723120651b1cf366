import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A project directory under `work` with these files (paths relative to it); returns the compose
 * file's path as a user gives it to composeServices, relative to the program's directory.
 */
export function composeProject(work: string, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(work, "app-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return path.relative(process.cwd(), path.join(dir, "compose.yaml"));
}
