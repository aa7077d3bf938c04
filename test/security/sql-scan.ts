import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * "Parameterised SQL only", checked statically with the TypeScript compiler.
 *
 * Every call `X.query(sql, …)` whose first argument is SQL text (node-postgres' Pool, PoolClient
 * and Client; Temporal's `handle.query(definition)` takes no text and is skipped, and said so) and
 * every Temporal visibility query (`client.workflow.list({ query })`, `client.workflow.count(query)`)
 * must be built from text the program itself wrote. An expression is SAFE when it is:
 *   - a string literal or a template without substitutions;
 *   - a template each of whose substitutions is a bind-parameter NUMBER (text before it ends in `$`
 *     and the checker types it as number: `$${params.push(x)}`, `$${params.length + 1}`), or is
 *     itself safe;
 *   - an expression the checker types as a string literal or a union of them (`'inspections' | 'qsrs'`):
 *     one of a fixed set the program wrote;
 *   - `c ? a : b`, `a ?? b`, `a || b` with a and b safe; `a + b` only of two literals;
 *   - a `const` whose initialiser is safe (followed across imports);
 *   - `xs.join(literal)` where xs is a `const` array whose literal elements and every `xs.push(…)`
 *     argument in its file are safe; `s.replace(literal, safe)` with s safe;
 *   - a parameter of a function of the same file that is only ever called there (never exported
 *     or passed on), each call passing a safe argument;
 *   - `escapeIdentifier(…)` / `escapeLiteral(…)` of node-postgres, for statements PostgreSQL takes
 *     no bind parameters in (CREATE ROLE … PASSWORD, CREATE DATABASE);
 *   - or listed in the caller's allowlist (file and expression text) with the reason it is not user data.
 * Anything else — a `+` of non-literals, a substitution of a `string` the checker cannot pin
 * down, a parameter of an exported function — is a violation.
 */

export interface AllowEntry {
  /** Path relative to the scanned root, with forward slashes. */
  file: string;
  /** The substituted expression's text, exactly as written. */
  expression: string;
  reason: string;
}

export interface Finding {
  file: string;
  line: number;
  /** The offending expression (or the whole argument). */
  expression: string;
  /** Why it is not provably parameterised. */
  why: string;
  kind: 'sql' | 'visibility';
}

export interface Skipped {
  file: string;
  line: number;
  call: string;
  /** Where the called `query` is declared (e.g. a file of @temporalio/client). */
  declaredIn: string;
}

export interface ScanResult {
  violations: Finding[];
  /** Allowlist entries that matched, so the test can insist every entry is still needed. */
  allowed: Array<Finding & { reason: string }>;
  /** `.query(` calls whose first argument is no SQL text (Temporal queries). */
  skipped: Skipped[];
  /** How many SQL / visibility call sites were checked. */
  checked: number;
}

export const format = (f: Pick<Finding, 'file' | 'line' | 'expression'>) => `${f.file}:${f.line}: ${f.expression}`;

/** Every .ts file under `root`, outside node_modules, test/ and dot-directories. */
export function projectFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const full = path.join(dir, name);
      if (dir === root && name === 'test') continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

/** Scans the project's files with its tsconfig's compiler options. */
export function scanProject(root: string, allow: readonly AllowEntry[] = []): ScanResult {
  const configPath = path.join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const files = projectFiles(root);
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  return scanProgram(program, files, root, allow);
}

/** Scans one in-memory source (the checker's self-test). */
export function scanSource(source: string, allow: readonly AllowEntry[] = [], fileName = 'inline.ts'): ScanResult {
  const root = path.resolve('/virtual');
  const full = path.join(root, fileName);
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noEmit: true, types: [] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    path.resolve(name) === full ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === full || fileExists(name);
  const program = ts.createProgram([full], options, host);
  return scanProgram(program, [full], root, allow);
}

function scanProgram(program: ts.Program, files: readonly string[], root: string, allow: readonly AllowEntry[]): ScanResult {
  const checker = program.getTypeChecker();
  const result: ScanResult = { violations: [], allowed: [], skipped: [], checked: 0 };
  const wanted = new Set(files.map((f) => path.resolve(f)));

  for (const sf of program.getSourceFiles()) {
    if (!wanted.has(path.resolve(sf.fileName))) continue;
    const rel = path.relative(root, sf.fileName).split(path.sep).join('/');
    const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const analysis = new Safety(checker, sf);

    const judge = (arg: ts.Expression, kind: Finding['kind']) => {
      result.checked++;
      for (const bad of analysis.unsafeParts(arg, kind)) {
        const finding: Finding = { file: rel, line: lineOf(bad.node), expression: bad.node.getText(sf), why: bad.why, kind };
        const entry = allow.find((a) => a.file === rel && a.expression === finding.expression);
        if (entry) result.allowed.push({ ...finding, reason: entry.reason });
        else result.violations.push(finding);
      }
    };

    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const name = node.expression.name.text;
        const receiver = node.expression.expression.getText(sf);
        const arg = node.arguments[0];
        if (name === 'query' && arg) {
          const sqlText = sqlArgument(checker, arg);
          if (sqlText) judge(sqlText, 'sql');
          else result.skipped.push({ file: rel, line: lineOf(node), call: node.getText(sf).slice(0, 120), declaredIn: declarationFile(checker, node) });
        } else if ((name === 'list' || name === 'count') && /(^|\.)workflow$/.test(receiver) && arg) {
          const query = ts.isObjectLiteralExpression(arg) ? propertyValue(arg, 'query') : isStringy(checker, arg) ? arg : undefined;
          if (query) judge(query, 'visibility');
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return result;
}

/** The SQL text of a `.query(` call: a string argument, or the `text` of a QueryConfig object; undefined when it takes no SQL. */
function sqlArgument(checker: ts.TypeChecker, arg: ts.Expression): ts.Expression | undefined {
  if (ts.isObjectLiteralExpression(arg)) return propertyValue(arg, 'text');
  return isStringy(checker, arg) ? arg : undefined;
}

function propertyValue(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && p.name.getText() === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

function isStringy(checker: ts.TypeChecker, e: ts.Expression): boolean {
  if (ts.isStringLiteralLike(e) || ts.isTemplateExpression(e)) return true;
  const type = checker.getTypeAtLocation(e);
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => (t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.Any)) !== 0);
}

function declarationFile(checker: ts.TypeChecker, call: ts.CallExpression): string {
  const decl = checker.getResolvedSignature(call)?.getDeclaration();
  const file = decl?.getSourceFile().fileName ?? '(unresolved)';
  const at = file.lastIndexOf('node_modules/');
  return at >= 0 ? file.slice(at + 'node_modules/'.length) : file;
}

interface Unsafe {
  node: ts.Node;
  why: string;
}

/** Whether expressions are built only from text the program wrote; see the module comment for the rules. */
class Safety {
  private readonly seen = new Set<ts.Node>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly sf: ts.SourceFile,
  ) {}

  /** The parts of `e` that are not provably safe (empty: safe). */
  unsafeParts(e: ts.Expression, kind: Finding['kind']): Unsafe[] {
    e = skipParens(e);
    if (ts.isStringLiteralLike(e)) return [];
    if (ts.isTemplateExpression(e)) {
      const out: Unsafe[] = [];
      let before = e.head.text;
      for (const span of e.templateSpans) {
        if (!(kind === 'sql' && before.endsWith('$') && this.isNumber(span.expression))) out.push(...this.unsafeParts(span.expression, kind));
        before = span.literal.text;
      }
      return out;
    }
    if (this.isLiteralUnion(e)) return [];
    if (ts.isConditionalExpression(e)) return [...this.unsafeParts(e.whenTrue, kind), ...this.unsafeParts(e.whenFalse, kind)];
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken)
        return [...this.unsafeParts(e.left, kind), ...this.unsafeParts(e.right, kind)];
      if (op === ts.SyntaxKind.PlusToken && ts.isStringLiteralLike(skipParens(e.left)) && ts.isStringLiteralLike(skipParens(e.right))) return [];
      return [{ node: e, why: op === ts.SyntaxKind.PlusToken ? 'string concatenation with +' : 'an expression of unknown text' }];
    }
    if (ts.isIdentifier(e)) return this.identifier(e, kind) ? [] : [{ node: e, why: 'not provably built from literals and placeholders' }];
    if (ts.isCallExpression(e) && this.safeCall(e, kind)) return [];
    return [{ node: e, why: 'not provably built from literals and placeholders' }];
  }

  private safe(e: ts.Expression, kind: Finding['kind']): boolean {
    return this.unsafeParts(e, kind).length === 0;
  }

  private isNumber(e: ts.Expression): boolean {
    const t = this.checker.getTypeAtLocation(e);
    const parts = t.isUnion() ? t.types : [t];
    return parts.every((p) => (p.flags & ts.TypeFlags.NumberLike) !== 0);
  }

  /** Typed as one string literal or a union of them: a value from a fixed set written in the program. */
  private isLiteralUnion(e: ts.Expression): boolean {
    const t = this.checker.getTypeAtLocation(e);
    const parts = t.isUnion() ? t.types : [t];
    return parts.length > 0 && parts.every((p) => p.isStringLiteral());
  }

  private symbolOf(e: ts.Node): ts.Symbol | undefined {
    let s = this.checker.getSymbolAtLocation(e);
    if (s && s.flags & ts.SymbolFlags.Alias) s = this.checker.getAliasedSymbol(s);
    // `{ query }` shorthand: the symbol of the value, not of the property.
    if (s && ts.isShorthandPropertyAssignment(e.parent) && e.parent.name === e) s = this.checker.getShorthandAssignmentValueSymbol(e.parent) ?? s;
    return s;
  }

  private identifier(id: ts.Identifier, kind: Finding['kind']): boolean {
    const symbol = this.symbolOf(id);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!decl || this.seen.has(decl)) return false;
    this.seen.add(decl);
    try {
      if (ts.isVariableDeclaration(decl) && decl.initializer && isConst(decl)) return this.safe(decl.initializer, kind);
      if (ts.isParameter(decl)) return this.parameter(decl, kind);
      return false;
    } finally {
      this.seen.delete(decl);
    }
  }

  /** A parameter of a function only called in this file, every call passing a safe argument. */
  private parameter(param: ts.ParameterDeclaration, kind: Finding['kind']): boolean {
    const fn = param.parent;
    const index = fn.parameters.indexOf(param);
    let nameNode: ts.Node | undefined;
    if (ts.isFunctionDeclaration(fn) && fn.name) nameNode = fn.name;
    else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name))
      nameNode = fn.parent.name;
    if (!nameNode || isExported(fn)) return false;
    const fnSymbol = this.checker.getSymbolAtLocation(nameNode);
    if (!fnSymbol) return false;
    let calls = 0;
    let ok = true;
    const visit = (n: ts.Node): void => {
      if (!ok) return;
      if (ts.isIdentifier(n) && n !== nameNode && this.checker.getSymbolAtLocation(n) === fnSymbol) {
        const call = n.parent;
        if (!ts.isCallExpression(call) || call.expression !== n) {
          ok = false; // passed on or stored: its callers are not all here
          return;
        }
        calls++;
        const arg = call.arguments[index] ?? param.initializer;
        if (!arg || !this.safe(arg, kind)) ok = false;
      }
      ts.forEachChild(n, visit);
    };
    visit(this.sf);
    return ok && calls > 0;
  }

  private safeCall(call: ts.CallExpression, kind: Finding['kind']): boolean {
    if (!ts.isPropertyAccessExpression(call.expression)) return false;
    const method = call.expression.name.text;
    const target = call.expression.expression;
    // node-postgres' own quoting, where PostgreSQL takes no bind parameter (DDL).
    if (method === 'escapeIdentifier' || method === 'escapeLiteral')
      return declarationFile(this.checker, call).startsWith('@types/pg/') || declarationFile(this.checker, call).startsWith('pg/');
    if (method === 'join') {
      const sep = call.arguments[0];
      if (sep && !ts.isStringLiteralLike(skipParens(sep))) return false;
      return ts.isIdentifier(target) && this.safeArray(target, kind);
    }
    if (method === 'replace') {
      const [pattern, replacement] = call.arguments;
      return (
        !!pattern &&
        !!replacement &&
        (ts.isStringLiteralLike(pattern) || ts.isRegularExpressionLiteral(pattern)) &&
        this.safe(target, kind) &&
        this.safe(replacement, kind)
      );
    }
    return false;
  }

  /** A const array of safe literal elements to which only safe values are pushed (in its file). */
  private safeArray(id: ts.Identifier, kind: Finding['kind']): boolean {
    const symbol = this.symbolOf(id);
    const decl = symbol?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !isConst(decl) || !decl.initializer || !ts.isArrayLiteralExpression(decl.initializer)) return false;
    if (!decl.initializer.elements.every((el) => ts.isExpression(el) && this.safe(el, kind))) return false;
    let ok = true;
    const visit = (n: ts.Node): void => {
      if (!ok) return;
      if (ts.isIdentifier(n) && n !== decl.name && this.checker.getSymbolAtLocation(n) === symbol) {
        const access = n.parent;
        if (ts.isPropertyAccessExpression(access) && access.expression === n) {
          const m = access.name.text;
          if (m === 'push' && ts.isCallExpression(access.parent)) ok = access.parent.arguments.every((a) => this.safe(a, kind));
          else if (!['join', 'length'].includes(m)) ok = false;
        } else {
          ok = false; // indexed, passed on or reassigned: not followed
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(decl.getSourceFile());
    return ok;
  }
}

function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

function isConst(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

function isExported(fn: ts.Node): boolean {
  const holder = ts.isVariableDeclaration(fn.parent) ? fn.parent.parent.parent : fn;
  return ts.canHaveModifiers(holder) && (ts.getModifiers(holder) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}
