// What the package's CLI entry points (vm-cli, workstation-cli) share: their input arrives on
// stdin (a Pulumi secret, never an argument a process listing would show), and a failure is one
// line on stderr and exit status 1, which @pulumi/command reports as the resource's error.

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function runCliMain(main: (argv: string[]) => Promise<void>): void {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
