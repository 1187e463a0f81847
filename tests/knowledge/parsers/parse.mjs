// Parses the code blocks of the knowledge-base articles (see tests/knowledge/test_code_blocks.py).
//
// stdin: a JSON array of {key, lang, kind, code}; lang is "apex" or "javascript", kind (Apex only)
// is "unit" (one or more classes/interfaces/enums, or one trigger), "members" (wrapped in a class)
// or "statements" (wrapped in a method of a class).
// stdout: a JSON array of {key, errors, queries}: errors are "line:column message" strings with
// lines counted in the block as written (the wrapper lines are not counted); queries is the number
// of dynamic SOQL strings found in Database.query & co. calls and parsed as SOQL.
import { readFileSync } from "node:fs";
import { ApexErrorListener, ApexLexer, ApexParserFactory } from "@apexdevtools/apex-parser";
import { parse as parseJs } from "@babel/parser";

const EOF = -1;
const DEFAULT_CHANNEL = 0;
const WRAPPERS = {
  unit: ["", ""],
  members: ["public class Fragment {\n", "\n}"],
  statements: ["public class Fragment {\npublic void run() {\n", "\n}\n}"],
};
// Database methods whose first argument is a SOQL string.
const QUERY_METHODS = new Set([
  "query",
  "querywithbinds",
  "countquery",
  "countquerywithbinds",
  "getquerylocator",
  "getquerylocatorwithbinds",
]);

class Collector extends ApexErrorListener {
  constructor(offset, prefix = "") {
    super();
    this.offset = offset;
    this.prefix = prefix;
    this.errors = [];
  }

  apexSyntaxError(line, column, msg) {
    this.errors.push(`${this.prefix}${line - this.offset}:${column} ${msg}`);
  }
}

function leadingKeyword(code) {
  const token = ApexParserFactory.createLexer(code)
    .getAllTokens()
    .find((t) => t.channel === DEFAULT_CHANNEL);
  return token ? token.text.toLowerCase() : "";
}

function parseApexUnit(code, kind) {
  const [before, after] = WRAPPERS[kind];
  if (before === undefined) return [`unknown Apex block kind '${kind}'`];
  const collector = new Collector(before.split("\n").length - 1);
  const { parser } = ApexParserFactory.createLexerAndParser(before + code + after, collector);
  if (kind === "unit" && leadingKeyword(code) === "trigger") {
    parser.triggerUnit();
  } else {
    // A unit may hold several top-level types (a class and its test class, say).
    let count = 0;
    while (parser.getCurrentToken().type !== EOF) {
      const index = parser.getCurrentToken().tokenIndex;
      parser.typeDeclaration();
      count += 1;
      if (parser.getCurrentToken().tokenIndex === index) {
        collector.errors.push(`0:0 cannot parse past token '${parser.getCurrentToken().text}'`);
        break;
      }
    }
    if (count === 0) collector.errors.push("0:0 no class, interface, enum or trigger in the block");
  }
  return collector.errors;
}

function unescapeApex(literal) {
  const body = literal.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    return { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r" }[c] ?? c;
  });
}

// The string value of tokens that are only string literals joined by '+', or null.
function literalValue(tokens) {
  if (tokens.length === 0 || tokens.length % 2 === 0) return null;
  let value = "";
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i];
    if (i % 2 === 1) {
      if (t.type !== ApexLexer.ADD) return null;
    } else if (t.type === ApexLexer.StringLiteral) {
      value += unescapeApex(t.text);
    } else {
      return null;
    }
  }
  return value;
}

// Dynamic SOQL: the first argument of Database.query(...) and friends, when it is a string
// literal, literals joined by '+', or a variable last assigned such a value (`q = '...';`,
// `q += '...';`). Strings built from other values cannot be known statically and are not parsed.
function dynamicQueries(code) {
  const tokens = ApexParserFactory.createLexer(code)
    .getAllTokens()
    .filter((t) => t.channel === DEFAULT_CHANNEL);
  const variables = new Map();
  const queries = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t.type === ApexLexer.Identifier && next && (next.type === ApexLexer.ASSIGN || next.type === ApexLexer.ADD_ASSIGN)) {
      let end = i + 2;
      while (end < tokens.length && tokens[end].type !== ApexLexer.SEMI) end += 1;
      const value = literalValue(tokens.slice(i + 2, end));
      const name = t.text.toLowerCase();
      if (value === null) variables.delete(name);
      else if (next.type === ApexLexer.ASSIGN) variables.set(name, value);
      else if (variables.has(name)) variables.set(name, variables.get(name) + value);
      continue;
    }
    if (
      t.text.toLowerCase() === "database" &&
      next?.type === ApexLexer.DOT &&
      QUERY_METHODS.has(tokens[i + 2]?.text.toLowerCase()) &&
      tokens[i + 3]?.type === ApexLexer.LPAREN
    ) {
      let depth = 0;
      const arg = [];
      for (let j = i + 4; j < tokens.length; j += 1) {
        const a = tokens[j];
        if (depth === 0 && (a.type === ApexLexer.COMMA || a.type === ApexLexer.RPAREN)) break;
        if ([ApexLexer.LPAREN, ApexLexer.LBRACK, ApexLexer.LBRACE].includes(a.type)) depth += 1;
        if ([ApexLexer.RPAREN, ApexLexer.RBRACK, ApexLexer.RBRACE].includes(a.type)) depth -= 1;
        arg.push(a);
      }
      let value = literalValue(arg);
      if (value === null && arg.length === 1 && arg[0].type === ApexLexer.Identifier) {
        value = variables.get(arg[0].text.toLowerCase()) ?? null;
      }
      if (value !== null) queries.push({ line: t.line, text: value });
    }
  }
  return queries;
}

function parseSoql(query) {
  const collector = new Collector(0, `dynamic SOQL at line ${query.line}: `);
  const { parser } = ApexParserFactory.createLexerAndParser(query.text.trim(), collector);
  parser.query();
  if (collector.errors.length === 0 && parser.getCurrentToken().type !== EOF) {
    collector.errors.push(
      `dynamic SOQL at line ${query.line}: unexpected '${parser.getCurrentToken().text}' after the query`,
    );
  }
  return collector.errors;
}

function parseApex(code, kind) {
  const errors = parseApexUnit(code, kind);
  const queries = dynamicQueries(code);
  for (const query of queries) errors.push(...parseSoql(query));
  return { errors, queries: queries.length };
}

function parseJavaScript(code) {
  try {
    parseJs(code, { sourceType: "module", plugins: [["decorators", { decoratorsBeforeExport: true }]] });
    return { errors: [], queries: 0 };
  } catch (error) {
    const where = error.loc ? `${error.loc.line}:${error.loc.column} ` : "";
    return { errors: [`${where}${error.message}`], queries: 0 };
  }
}

const blocks = JSON.parse(readFileSync(0, "utf8"));
const results = blocks.map(({ key, lang, kind, code }) => {
  let result;
  if (lang === "apex") result = parseApex(code, kind);
  else if (lang === "javascript") result = parseJavaScript(code);
  else result = { errors: [`no parser for '${lang}'`], queries: 0 };
  return { key, ...result };
});
process.stdout.write(JSON.stringify(results));
