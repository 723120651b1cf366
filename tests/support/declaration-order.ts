import * as path from "node:path";
import ts from "typescript";

// The order in which an interface's properties are declared, those of the interfaces it extends
// first (what getProperties, and so Pulumi's analyzer, lists own-first). The args' shape checks
// name "the fields here" in it (core/shape.ts), as they did when the shapes were written by hand.

const ROOT = path.resolve(__dirname, "..", "..");

function program(): ts.Program {
  const configPath = path.join(ROOT, "tsconfig.json");
  const config = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
}

function baseFirst(decl: ts.InterfaceDeclaration, checker: ts.TypeChecker): string[] {
  const names: string[] = [];
  const add = (n: string) => names.includes(n) || names.push(n);
  for (const clause of decl.heritageClauses ?? [])
    for (const base of clause.types)
      for (const d of checker.getTypeAtLocation(base.expression).symbol?.declarations ?? [])
        if (ts.isInterfaceDeclaration(d)) baseFirst(d, checker).forEach(add);
  for (const member of decl.members)
    if (ts.isPropertySignature(member) && member.name) add(member.name.getText());
  return names;
}

/**
 * Per interface of components/ (by name) and per component class (by its name, the order of its
 * constructor's `args` interface), the properties base-first.
 */
export function declarationOrders(): Record<string, string[]> {
  const p = program();
  const checker = p.getTypeChecker();
  const orders: Record<string, string[]> = {};
  for (const file of p.getSourceFiles()) {
    if (!file.fileName.startsWith(path.join(ROOT, "components") + path.sep)) continue;
    file.forEachChild((node) => {
      if (ts.isInterfaceDeclaration(node)) orders[node.name.text] = baseFirst(node, checker);
      if (ts.isClassDeclaration(node) && node.name) {
        const ctor = node.members.find(ts.isConstructorDeclaration);
        const args = ctor?.parameters[1]?.type;
        const decl = args && checker.getTypeAtLocation(args).symbol?.declarations?.[0];
        if (decl && ts.isInterfaceDeclaration(decl))
          orders[`class:${node.name.text}`] = baseFirst(decl, checker);
      }
    });
  }
  return orders;
}
