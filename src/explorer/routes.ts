import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GetRoute } from "../rpc/index.js";
import { EXPLORER_CSS, EXPLORER_HTML } from "./page.js";

/** Where every validator serves the explorer, on its JSON-RPC port. */
export const EXPLORER_PATH = "/explorer/";

/** The page's compiled ES modules (src/explorer/web/*.ts, built by tsc beside this file). */
const WEB_DIR = fileURLToPath(new URL("./web/", import.meta.url));
/** Module file names served: plain names only, so nothing outside WEB_DIR (or a .d.ts, a .map) can match. */
const MODULE_FILE = /^[a-z][A-Za-z0-9]*\.js$/;
const SOURCE_MAP_COMMENT = /\n\/\/# sourceMappingURL=\S+\s*$/;

const CONTENT_TYPES = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
} as const;

/**
 * The page talks only to the node that served it: no inline script, no other origin. Styles set
 * through the DOM's style properties and SVG presentation attributes are allowed by `style-src 'self'`.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

function asset(text: string, type: string): Asset {
  const body = Buffer.from(text, "utf8");
  return { body, type, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
}

/** Every file the explorer serves, by its name under EXPLORER_PATH ("" is the page itself). */
export function explorerAssets(webDir: string = WEB_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const page = asset(EXPLORER_HTML, CONTENT_TYPES.html);
  assets.set("", page);
  assets.set("index.html", page);
  assets.set("style.css", asset(EXPLORER_CSS, CONTENT_TYPES.css));
  const files = readdirSync(webDir, { withFileTypes: true }).filter(
    (e) => e.isFile() && MODULE_FILE.test(e.name),
  );
  for (const name of files.map((e) => e.name).sort()) {
    const code = readFileSync(join(webDir, name), "utf8").replace(SOURCE_MAP_COMMENT, "\n");
    assets.set(name, asset(code, CONTENT_TYPES.js));
  }
  return assets;
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer,
) {
  res.writeHead(status, { ...headers, "content-length": String(body.length) });
  if (req.method === "HEAD") res.end();
  else res.end(body);
}

function serve(req: IncomingMessage, res: ServerResponse, assets: Map<string, Asset>, name: string): void {
  const found = assets.get(name);
  const common = { "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };
  if (found === undefined) {
    send(
      req,
      res,
      404,
      { ...common, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
      Buffer.from("not found\n"),
    );
    return;
  }
  const headers: Record<string, string> = {
    ...common,
    "content-type": found.type,
    etag: found.etag,
    // The names carry no version: a browser revalidates each time (a 304 while unchanged).
    "cache-control": "no-cache",
  };
  if (found.type === CONTENT_TYPES.html) {
    headers["content-security-policy"] = CONTENT_SECURITY_POLICY;
    headers["x-frame-options"] = "DENY";
  }
  if (req.headers["if-none-match"] === found.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  send(req, res, 200, headers, found.body);
}

export interface ExplorerRouteOptions {
  /** The directory of the page's compiled modules (tests); default: ./web beside this module. */
  webDir?: string;
}

/**
 * The explorer's GET routes for the RPC server: `/explorer/` serves the page, its stylesheet and its
 * modules, and nothing else (a fixed set of names, read once, never a path joined from the request);
 * `/explorer` redirects there. The page reads the node over JSON-RPC at "/".
 */
export function explorerRoutes(options: ExplorerRouteOptions = {}): GetRoute[] {
  let assets: Map<string, Asset> | undefined;
  return [
    {
      path: "/explorer",
      handle: (_req, res) => {
        res.writeHead(308, { location: EXPLORER_PATH, "content-length": "0" }).end();
      },
    },
    {
      path: EXPLORER_PATH,
      handle: (req, res, path) => {
        // Read on first use: a missing build output answers 500 (the server logs it), not a crash.
        assets ??= explorerAssets(options.webDir);
        serve(req, res, assets, path.slice(EXPLORER_PATH.length));
      },
    },
  ];
}
