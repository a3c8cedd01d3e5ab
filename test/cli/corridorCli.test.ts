import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { initDevnetHome } from "../../src/node/devnetHome.js";
import { readKeyFile } from "../../src/node/keyFile.js";
import { toHex } from "../../src/util/bytes.js";
import { mass } from "../helpers/cli.js";
import { tempDir } from "../helpers/tempDir.js";

/** Nothing listens here: every bad input below must be caught before the CLI calls the node. */
const UNUSED_BASE_PORT = 1_100;

/** CLI processes at once: enough to overlap their start-up, few enough for a loaded 2-core machine. */
const CONCURRENCY = 4;

/** Runs `tasks` CONCURRENCY at a time; the results in order. */
async function inBatches<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += CONCURRENCY) {
    results.push(...(await Promise.all(tasks.slice(i, i + CONCURRENCY).map((task) => task()))));
  }
  return results;
}

const VERBS = ["propose", "accept", "suspend", "resume", "halt", "deprecate"];

describe("mass tx migrate, tx corridor, query corridor and query transfer without a node", () => {
  it("print --help and exit 0 (no bigint default breaks it)", async () => {
    const commands = [
      ["tx", "transfer"],
      ["tx", "migrate"],
      ["tx", "corridor"],
      ...VERBS.map((verb) => ["tx", "corridor", verb]),
      ["query", "corridor"],
      ["query", "transfer"],
    ];
    const runs = await inBatches(commands.map((c) => () => mass(...c, "--help")));
    runs.forEach((r, i) => {
      const name = commands[i]!.join(" ");
      assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: mass ${name} `), name);
    });
    assert.match(runs[1]!.stdout, /--from-harbor <id>[\s\S]*--to-harbor <id>[\s\S]*--timeout <blocks>/);
    assert.match(runs[3]!.stdout, /--to <state>/, "propose chooses its target");
    assert.doesNotMatch(runs[5]!.stdout, /--to <state>/, "suspend has one target");
  });

  describe("refuse bad input with one line and a non-zero exit, before calling the node", () => {
    // Made at the suite's level: tempDir() removes it when the file's tests are done.
    const home = join(tempDir(), "home");
    let alice = "";
    let bob = "";
    before(() => {
      initDevnetHome({ dir: home, validators: 4, basePort: UNUSED_BASE_PORT });
      alice = join(home, "keys", "alice.json");
      bob = toHex(readKeyFile(join(home, "keys", "bob.json")).publicKey);
    });

    const migrate = (change: Record<string, string>) => {
      const options = {
        "--from": alice,
        "--from-harbor": "pk-sifc",
        "--to": bob,
        "--to-harbor": "ae-difc",
        "--amount": "5",
        "--home": home,
        ...change,
      };
      return ["tx", "migrate", ...Object.entries(options).flat()];
    };
    const move = (verb: string, id: string, ...extra: string[]) => [
      "tx",
      "corridor",
      verb,
      id,
      "--home",
      home,
      ...extra,
    ];

    it("for every command", async () => {
      const cases: [() => string[], RegExp][] = [
        [() => migrate({ "--from-harbor": "xx-none" }), /--from-harbor: unknown harbor "xx-none"/],
        [() => migrate({ "--to-harbor": "xx-none" }), /--to-harbor: unknown harbor "xx-none" \(harbors: /],
        [() => migrate({ "--to-harbor": "pk-sifc" }), /--to-harbor must differ from --from-harbor/],
        [() => migrate({ "--to": "0x12" }), /--to: expected 32 bytes, got 1/],
        [() => migrate({ "--to": "bob" }), /--to: expected 0x-prefixed hex/],
        [() => migrate({ "--from": join(home, "keys", "nobody.json") }), /key file \S+ does not exist/],
        [() => migrate({ "--amount": "0" }), /--amount must be a whole number of units from 1 to/],
        [() => migrate({ "--amount": "-5" }), /--amount must be a whole number of units/],
        [() => migrate({ "--amount": "1.5" }), /--amount must be a whole number of units/],
        [() => migrate({ "--amount": String(2n ** 64n) }), /--amount must be .* to 18446744073709551615/],
        [() => migrate({ "--fee": "ten" }), /--fee must be a whole number of units/],
        [() => migrate({ "--timeout": "soon" }), /--timeout must be an integer/],
        [() => migrate({ "--home": join(home, "missing") }), /has no genesis\.json/],
        [() => move("suspend", "pk-sifc~ae-difc", "--harbor", "pk-sifc"), /is not a corridor id/],
        [() => move("suspend", "ae-difc~kz-aifc", "--harbor", "pk-sifc"), /pk-sifc is not a side of/],
        [() => move("halt", "ae-difc~pk-sifc", "--harbor", "xx-none"), /--harbor: unknown harbor/],
        [() => move("suspend", "ae-difc~pk-sifc", "--harbor", "pk-sifc", "--evidence", "0x12"), /32 bytes/],
        [() => move("suspend", "ae-difc~pk-sifc", "--harbor", "pk-sifc", "--evidence", "zz"), /hex/],
        [
          () =>
            move(
              "suspend",
              "ae-difc~pk-sifc",
              "--harbor",
              "pk-sifc",
              "--evidence",
              `0x${"00".repeat(32)}`,
              "--reason",
              "r",
            ),
          /--evidence or --reason, not both/,
        ],
        [
          () =>
            move(
              "resume",
              "ae-difc~pk-sifc",
              "--harbor",
              "pk-sifc",
              "--key",
              join(home, "keys", "none.json"),
            ),
          /key file \S+none\.json does not exist/,
        ],
        [
          () => move("resume", "ae-difc~pk-sifc", "--harbor", "pk-sifc", "--key", alice),
          /alice\.json is not the authority of pk-sifc/,
        ],
        [
          () => move("propose", "ae-difc~pk-sifc", "--harbor", "pk-sifc", "--to", "open"),
          /--to must be a corridor state/,
        ],
        [() => move("suspend", "ae-difc~pk-sifc", "--harbor", "pk-sifc", "--fee", "-1"), /--fee must be/],
        [() => move("suspend", "ae-difc~pk-sifc"), /required option '--harbor <id>' not specified/],
        [() => move("reopen", "ae-difc~pk-sifc", "--harbor", "pk-sifc"), /unknown command 'reopen'/],
        [
          () => [
            "tx",
            "transfer",
            "--from",
            alice,
            "--to",
            bob,
            "--amount",
            "1",
            "--harbor",
            "xx",
            "--home",
            home,
          ],
          /--harbor: unknown harbor "xx"/,
        ],
      ];
      const runs = await inBatches(
        cases.map(
          ([args]) =>
            () =>
              mass(...args()),
        ),
      );
      runs.forEach((r, i) => {
        const [args, message] = cases[i]!;
        const name = args().slice(0, 3).join(" ");
        assert.notEqual(r.code, 0, `${name}: ${r.stdout}`);
        assert.match(r.stderr.split("\n")[0]!, /^error: /, `${name}: ${r.stderr}`);
        assert.match(r.stderr, message, name);
        assert.doesNotMatch(r.stderr, /\n\s+at |internal error|cannot reach/, `${name}: ${r.stderr}`);
        assert.equal(r.stdout, "", `${name} printed nothing on stdout`);
      });
    });
  });
});
