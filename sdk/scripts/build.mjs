// @ts-check
/**
 * Builds the package from sdk/tsconfig.json twice: ES modules into dist/esm and CommonJS into
 * dist/cjs, each with declarations and source maps, and a package.json in each folder that says
 * which kind its .js files are (the exports map in ../package.json points into both).
 *
 * The sources import each other without extensions ("../errors/base", "../abi"). Node's ES module
 * loader, and TypeScript resolving a declaration file in an ES module context (node16 and later),
 * accept only full paths, so every relative import in the output, JavaScript and declarations
 * alike, is rewritten to the file it resolves to ("../errors/base.js", "../abi/index.js").
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const sdk = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(sdk, "dist");

/** @type {{ folder: string; type: "module" | "commonjs"; module: ts.ModuleKind }[]} */
const FORMATS = [
  { folder: "esm", type: "module", module: ts.ModuleKind.ES2022 },
  { folder: "cjs", type: "commonjs", module: ts.ModuleKind.CommonJS },
];

function fail(diagnostics) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => sdk, getNewLine: () => "\n" };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}

function readConfig() {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(sdk, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => fail([d]),
  });
  if (!parsed) throw new Error("cannot read sdk/tsconfig.json");
  if (parsed.errors.length > 0) fail(parsed.errors);
  return parsed;
}

/**
 * A transformer that rewrites relative module specifiers (imports, exports, require() and
 * import() calls, and `import("...")` types in declarations) to the emitted file's path.
 * @param {ts.CompilerOptions} options
 * @returns {ts.TransformerFactory<any>}
 */
function fullSpecifiers(options) {
  return (context) => (root) => {
    if (!ts.isSourceFile(root)) return root;
    const from = root.fileName;
    const f = context.factory;

    /** @param {ts.Node} literal */
    const rewritten = (literal) => {
      if (!ts.isStringLiteral(literal) || !literal.text.startsWith(".")) return undefined;
      const resolved = ts.resolveModuleName(literal.text, from, options, ts.sys).resolvedModule;
      if (!resolved) throw new Error(`${relative(sdk, from)}: cannot resolve ${literal.text}`);
      const target = relative(dirname(from), resolved.resolvedFileName).replace(/\\/g, "/").replace(/(\.d)?\.ts$/, ".js");
      return f.createStringLiteral(target.startsWith(".") ? target : `./${target}`);
    };

    /** @param {ts.Node} node @returns {ts.Node} */
    const visit = (node) => {
      if (ts.isImportDeclaration(node)) {
        const spec = rewritten(node.moduleSpecifier);
        if (spec) return f.updateImportDeclaration(node, node.modifiers, node.importClause, spec, node.attributes);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
        const spec = rewritten(node.moduleSpecifier);
        if (spec) return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, spec, node.attributes);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
        const spec = rewritten(node.argument.literal);
        if (spec) {
          const argument = f.updateLiteralTypeNode(node.argument, spec);
          return f.updateImportTypeNode(node, argument, node.attributes, node.qualifier, node.typeArguments, node.isTypeOf);
        }
      } else if (ts.isCallExpression(node) && node.arguments.length === 1) {
        const callee = node.expression;
        const isLoad = callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require");
        const spec = isLoad ? rewritten(node.arguments[0]) : undefined;
        if (spec) return f.updateCallExpression(node, callee, node.typeArguments, [spec]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(root, visit, context);
  };
}

/** A compiler host that parses each file once for both builds (the formats differ only in `module`). */
function sharedHost(options) {
  const host = ts.createCompilerHost(options);
  const parsed = new Map();
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    if (!parsed.has(fileName)) parsed.set(fileName, read(fileName, languageVersion, ...rest));
    return parsed.get(fileName);
  };
  return host;
}

const config = readConfig();
const host = sharedHost(config.options);
rmSync(dist, { recursive: true, force: true });
for (const format of FORMATS) {
  const outDir = join(dist, format.folder);
  const options = { ...config.options, module: format.module, outDir, declaration: true, sourceMap: true, inlineSources: true };
  const program = ts.createProgram(config.fileNames, options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) fail(diagnostics);
  const transform = fullSpecifiers(options);
  const result = program.emit(undefined, undefined, undefined, false, { after: [transform], afterDeclarations: [transform] });
  if (result.diagnostics.length > 0) fail(result.diagnostics);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify({ type: format.type })}\n`);
}
