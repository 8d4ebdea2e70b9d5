/**
 * Parses YAML or JSON text keeping positions, so that a schema problem at a path such as
 * `seed.people[3]` can be reported as file:line:column.
 */
import { isNode, LineCounter, parseDocument, type Document } from "yaml";

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

export interface PositionedDocument {
  readonly value: unknown;
  readonly problems: Problem[];
  readonly locate: (path: readonly PropertyKey[]) => { line: number; column: number };
}

export function parsePositioned(file: string, text: string): PositionedDocument {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = doc.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return {
      file,
      line: pos.line,
      column: pos.col,
      path: "",
      message: error.message.split("\n")[0] ?? error.message,
    };
  });
  const locate = (path: readonly PropertyKey[]): { line: number; column: number } => {
    // Walk up to the nearest node that exists (a missing key is reported at its parent).
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range !== undefined && node.range !== null) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return { line: 1, column: 1 };
  };
  return { value: problems.length > 0 ? undefined : (doc.toJS() as unknown), problems, locate };
}

/** `["seed", "people", 3, "uid"]` → `seed.people[3].uid` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`))
    .join("");
}

export function formatProblem(problem: Problem): string {
  const where = problem.path === "" ? "" : ` ${problem.path}:`;
  return `${problem.file}:${problem.line}:${problem.column}:${where} ${problem.message}`;
}
