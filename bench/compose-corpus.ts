import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DockerHostConfigError } from "../components";
import { composeServices } from "../components/services/compose-app";

// `npm run corpus:compose -- <dir> [<files dir>]`: every compose file in <dir> read through
// composeServices exactly as a user calls it, each in a project directory of its own with the
// files shipped beside it (`<name>__env` is its `.env`; `<name>__env__<file>` an env_file, "_"
// standing for "/"; and, with a files dir, the tree `<files dir>/<name>/` copied in: the config
// files its binds mount, as the project's repository holds them). Prints which files are accepted and, for the refused, how many files each cause blocks
// (a cause: the compose key a problem names, with the service name left out). The corpus is the
// projects' own files, so it is not kept in this repository; the closing notes name its sources.

interface Outcome {
  file: string;
  problems: string[];
  crashed?: string;
}

/** The compose key a problem names: services.<s>.ports[0].target -> services.*.ports. */
function causeOf(problem: string): string {
  const at = /^[^:]+: ([^:]+):/.exec(problem)?.[1] ?? problem;
  if (/^\S+\.env:\d+$/.test(at)) return ".env syntax";
  const parts = at.replace(/\[\d+\]/g, "").split(".");
  if (parts[0] === "services" && parts.length > 2) return `services.*.${parts[2]}`;
  return parts.slice(0, 2).join(".");
}

function run(corpus: string, beside?: string): Outcome[] {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-corpus-"));
  const names = fs.readdirSync(corpus).filter((f) => !f.includes("__env"));
  const outcomes: Outcome[] = [];
  for (const name of names.sort()) {
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(corpus, name), path.join(dir, "compose.yaml"));
    for (const extra of fs.readdirSync(corpus).filter((f) => f.startsWith(`${name}__env`))) {
      const rest = extra.slice(`${name}__env`.length);
      const target = rest === "" ? ".env" : rest.slice(2).replace(/_/g, "/");
      fs.mkdirSync(path.dirname(path.join(dir, target)), { recursive: true });
      fs.copyFileSync(path.join(corpus, extra), path.join(dir, target));
    }
    const tree = beside && path.join(beside, name);
    if (tree && fs.existsSync(tree)) fs.cpSync(tree, dir, { recursive: true });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      composeServices("compose.yaml");
      outcomes.push({ file: name, problems: [] });
    } catch (e) {
      if (e instanceof DockerHostConfigError) outcomes.push({ file: name, problems: e.problems });
      else outcomes.push({ file: name, problems: [], crashed: String(e) });
    } finally {
      process.chdir(cwd);
    }
  }
  fs.rmSync(work, { recursive: true, force: true });
  return outcomes;
}

function main(): void {
  const corpus = process.argv[2];
  if (!corpus || !fs.existsSync(corpus)) {
    console.error(
      "usage: npm run corpus:compose -- <directory of compose files> [<directory of the files beside them>]",
    );
    process.exit(2);
  }
  const beside = process.argv[3];
  const outcomes = run(path.resolve(corpus), beside && path.resolve(beside));
  const accepted = outcomes.filter((o) => !o.problems.length && !o.crashed);
  const crashed = outcomes.filter((o) => o.crashed);
  const blocks = new Map<string, Set<string>>();
  for (const o of outcomes)
    for (const p of o.problems) {
      const cause = causeOf(p);
      blocks.set(cause, (blocks.get(cause) ?? new Set()).add(o.file));
    }
  for (const o of outcomes)
    console.log(
      `${o.crashed ? "CRASH" : o.problems.length ? "refused" : "accepted"}  ${o.file}` +
        (o.crashed
          ? `: ${o.crashed}`
          : o.problems.length
            ? ` (${o.problems.length} problems)`
            : ""),
    );
  console.log("\ncause (compose key)                      files blocked");
  for (const [cause, files] of [...blocks].sort((a, b) => b[1].size - a[1].size))
    console.log(`${cause.padEnd(40)} ${files.size}`);
  console.log(
    `\n${accepted.length} of ${outcomes.length} accepted, ${crashed.length} crashed (${corpus}${beside ? `, with ${beside}` : ""})`,
  );
  if (process.env.DOCKERHOST_CORPUS_DETAIL)
    for (const o of outcomes) for (const p of o.problems) console.log(`${o.file}: ${p}`);
}

main();
