// Counts the names each public entry exports, from the built `.d.ts`, with the TypeScript compiler:
// every export of the entry module (re-exports resolved to their declaration), a class once (as a
// value), types included. Each name says its kind, whether it is `@deprecated` and whether its
// declaration carries TSDoc.
import ts from 'typescript';

/**
 * @param entries rows of `publicEntries()`
 * @returns `byEntry`: entry id → names; `total`: names over all entries
 */
export function publicNames(entries) {
  const program = ts.createProgram(
    entries.map((e) => e.types),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
      experimentalDecorators: true,
    },
  );
  const checker = program.getTypeChecker();
  const byEntry = {};
  let total = 0;
  for (const entry of entries) {
    const source = program.getSourceFile(entry.types);
    if (!source) throw new Error(`${entry.types} is missing: run pnpm build first`);
    const rows = checker.getExportsOfModule(checker.getSymbolAtLocation(source)).map((symbol) => describeExport(checker, symbol));
    byEntry[entry.id] = rows;
    total += rows.length;
  }
  return { byEntry, total };
}

function describeExport(checker, exported) {
  const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const declarations = target.declarations ?? [];
  // A variable's TSDoc sits on its statement, two levels up.
  const documentedNode = (d) => (ts.isVariableDeclaration(d) ? d.parent.parent : d);
  const tags = [...declarations, ...(exported === target ? [] : exported.declarations ?? [])].flatMap((d) => ts.getJSDocTags(documentedNode(d)));
  return {
    name: exported.name,
    kind: kindOf(target.flags),
    value: Boolean(target.flags & ts.SymbolFlags.Value),
    deprecated: tags.some((t) => t.tagName.text === 'deprecated'),
    documented: declarations.some((d) => (documentedNode(d).jsDoc ?? []).length > 0),
  };
}

function kindOf(flags) {
  if (flags & ts.SymbolFlags.Class) return 'class';
  if (flags & ts.SymbolFlags.Function) return 'function';
  if (flags & ts.SymbolFlags.Variable) return 'const';
  if (flags & ts.SymbolFlags.Enum) return 'enum';
  if (flags & ts.SymbolFlags.Interface) return 'interface';
  if (flags & ts.SymbolFlags.TypeAlias) return 'type';
  return 'other';
}
