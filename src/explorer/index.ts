// The block explorer every validator serves on its JSON-RPC port at /explorer/: plain ES modules
// (./web, compiled by tsc; browser-only, no node: imports) over the node's JSON-RPC methods.
export { EXPLORER_CSS, EXPLORER_HTML } from "./page.js";
export { EXPLORER_PATH, type ExplorerRouteOptions, explorerAssets, explorerRoutes } from "./routes.js";
