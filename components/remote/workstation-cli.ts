#!/usr/bin/env node
// The entry point each host's `<name>-workstation` command runs (@pulumi/command's local
// Command): `add` on create and update (the entry as JSON on stdin, a secret since it may
// carry the deployer's key), `remove` on delete.
//   add
//   remove <ssh dir> <alias> <context>
import { readStdin, runCliMain } from "./cli-io";
import { addWorkstationEntry, removeWorkstationEntry } from "./workstation-files";
import { sshIncludeLine, type WorkstationEntry } from "./workstation";

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "add": {
      const entry = JSON.parse(await readStdin()) as WorkstationEntry;
      const outcome = await addWorkstationEntry(entry);
      process.stdout.write(
        [
          `ssh: ${entry.alias} (${outcome.files.join(", ")})`,
          `docker context ${entry.context}: ${outcome.context}`,
          `once, at the top of ~/.ssh/config: ${sshIncludeLine(entry.sshDir)}`,
          "",
        ].join("\n"),
      );
      return;
    }
    case "remove": {
      const [sshDir, alias, context] = rest;
      if (!sshDir || !alias || !context) break;
      const outcome = await removeWorkstationEntry(sshDir, alias, context);
      process.stdout.write(
        `removed: ${outcome.removed.join(", ") || "no files"}; docker context ${context}: ${outcome.context}\n`,
      );
      return;
    }
  }
  throw new Error("usage: workstation-cli add | remove <ssh dir> <alias> <context>");
}

runCliMain(main);
