// The `mass` command: bin/mass.js runs `main` with the process's arguments.
export { main } from "./main.js";
