/**
 * A parser for the YAML subset the files in ops/ are written in, so tests can read them without a
 * YAML package: block mappings and sequences by indentation (spaces), plain, 'single-' and
 * "double-quoted" scalars, literal blocks (`|`, `|-`), and comments. Anything else (flow
 * collections, anchors, tags, several documents, tabs) is an error naming the line, never a guess:
 * a file that needs more YAML than this needs a real parser.
 */
export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  number: number;
  indent: number;
  text: string;
}

class YamlSubsetError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

const KEY = /^([A-Za-z0-9_][A-Za-z0-9_.-]*):(?:[ ]+(.*))?$/;

/** A scalar's value; the text after it may only be a comment. */
function scalar(raw: string, line: number): string {
  const text = raw.trim();
  if (text.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(text);
    if (m === null) throw new YamlSubsetError(line, `unterminated single-quoted scalar ${text}`);
    return m[1]!.replaceAll("''", "'");
  }
  if (text.startsWith('"')) {
    const m = /^("(?:[^"\\]|\\.)*")\s*(?:#.*)?$/.exec(text);
    if (m === null) throw new YamlSubsetError(line, `unterminated double-quoted scalar ${text}`);
    return JSON.parse(m[1]!) as string;
  }
  if (/^[[{&*!%@`|>]/.test(text)) throw new YamlSubsetError(line, `unsupported YAML: ${text}`);
  return text.replace(/\s+#.*$/, "");
}

function lines(source: string): Line[] {
  return source.split("\n").map((raw, i) => {
    if (raw.includes("\t")) throw new YamlSubsetError(i + 1, "tabs are not YAML indentation");
    const text = raw.trimEnd();
    return { number: i + 1, indent: text.length - text.trimStart().length, text: text.trimStart() };
  });
}

const blank = (l: Line): boolean => l.text === "" || l.text.startsWith("#");

class Parser {
  private i = 0;
  constructor(private readonly all: Line[]) {}

  parse(): YamlValue {
    this.skipBlank();
    const first = this.all[this.i];
    if (first === undefined) return {};
    if (first.text === "---") throw new YamlSubsetError(first.number, "document markers are not supported");
    const value = this.node(first.indent);
    this.skipBlank();
    const rest = this.all[this.i];
    if (rest !== undefined) throw new YamlSubsetError(rest.number, `unexpected indentation: ${rest.text}`);
    return value;
  }

  private skipBlank(): void {
    while (this.i < this.all.length && blank(this.all[this.i]!)) this.i++;
  }

  private peek(): Line | undefined {
    this.skipBlank();
    return this.all[this.i];
  }

  private node(indent: number): YamlValue {
    const line = this.peek()!;
    return line.text === "-" || line.text.startsWith("- ") ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number): Record<string, YamlValue> {
    const out: Record<string, YamlValue> = {};
    for (let line = this.peek(); line !== undefined && line.indent === indent; line = this.peek()) {
      if (line.text.startsWith("- ")) break;
      const m = KEY.exec(line.text);
      if (m === null) throw new YamlSubsetError(line.number, `expected "key: value", got ${line.text}`);
      const key = m[1]!;
      if (key in out) throw new YamlSubsetError(line.number, `duplicate key ${key}`);
      this.i++;
      out[key] = this.value(m[2], indent, line.number);
    }
    return out;
  }

  /** What follows "key:" or "- ": a scalar on the line, a literal block, or a nested node below it. */
  private value(rest: string | undefined, indent: number, lineNumber: number): YamlValue {
    const text = rest?.replace(/^#.*$/, "").trim() ?? "";
    if (text === "|" || text === "|-") return this.literal(indent, text === "|");
    if (text !== "") return scalar(text, lineNumber);
    const next = this.peek();
    const nestedSequence = next !== undefined && next.indent === indent && next.text.startsWith("- ");
    if (next === undefined || (next.indent <= indent && !nestedSequence)) return "";
    return this.node(next.indent);
  }

  private literal(indent: number, keepNewline: boolean): string {
    const body: string[] = [];
    let blockIndent: number | undefined;
    while (this.i < this.all.length) {
      const line = this.all[this.i]!;
      if (line.text !== "" && line.indent <= indent) break;
      blockIndent ??= line.text === "" ? undefined : line.indent;
      body.push(line.text === "" ? "" : " ".repeat(line.indent - (blockIndent ?? line.indent)) + line.text);
      this.i++;
    }
    while (body.at(-1) === "") body.pop();
    return body.join("\n") + (keepNewline ? "\n" : "");
  }

  private sequence(indent: number): YamlValue[] {
    const out: YamlValue[] = [];
    for (let line = this.peek(); line !== undefined && line.indent === indent; line = this.peek()) {
      if (line.text !== "-" && !line.text.startsWith("- ")) break;
      const item = line.text === "-" ? "" : line.text.slice(2);
      const itemIndent = indent + 2 + (item.length - item.trimStart().length);
      if (KEY.test(item.trim())) {
        // "- key: value" opens a mapping whose keys line up with this first one.
        this.all[this.i] = { number: line.number, indent: itemIndent, text: item.trim() };
        out.push(this.mapping(itemIndent));
      } else {
        this.i++;
        out.push(this.value(item, indent, line.number));
      }
    }
    return out;
  }
}

export function parseYamlSubset(source: string): YamlValue {
  return new Parser(lines(source)).parse();
}
