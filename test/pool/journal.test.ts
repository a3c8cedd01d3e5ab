import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LevelPoolJournal } from "../../src/pool/journal.js";
import { Database } from "../../src/state/db/index.js";
import { tempDir } from "../helpers/tempDir.js";

const hash = (n: number) => new Uint8Array(32).fill(n);
const bytes = (n: number) => new Uint8Array(100).fill(n);

describe("LevelPoolJournal", () => {
  it("persists additions before they resolve and applies one turn's operations in call order", async () => {
    const path = join(tempDir(), "db");
    const db = await Database.open(path);
    const errors: string[] = [];
    const journal = new LevelPoolJournal(db, (m) => errors.push(m));
    // One turn: three additions, one removed again right away.
    const written = [journal.added(hash(1), bytes(1)), journal.added(hash(2), bytes(2))];
    journal.removed(hash(2));
    written.push(journal.added(hash(3), bytes(3)));
    await Promise.all(written);
    assert.deepEqual(
      (await journal.entries()).map((b) => b[0]),
      [1, 3],
    );
    journal.removed(hash(1));
    await new Promise((resolve) => setImmediate(resolve));
    await db.close();

    const reopened = await Database.open(path);
    const again = new LevelPoolJournal(reopened, (m) => errors.push(m));
    assert.deepEqual(
      (await again.entries()).map((b) => b[0]),
      [3],
    );
    await reopened.close();
    assert.deepEqual(errors, []);
  });
});
