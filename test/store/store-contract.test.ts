import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it, onTestFinished } from "vitest";
import { SimError } from "../../src/core/errors.js";
import { migrations } from "../../src/core/store/migrations.js";
import { openSqliteStore } from "../../src/core/store/sqlite-store.js";
import type { ScenarioData, Store } from "../../src/core/store/store.js";

const scenario = (name: string, dnSuffix = ""): ScenarioData => ({
  name,
  fingerprint: `fp-${name}`,
  quickStart: {
    odsCode: "A20047",
    partyKey: "A20047-9198993",
    asid: "918999198993",
    url: "https://localhost:9443/in",
  },
  directory: [
    { dn: "o=nhs", objectClasses: ["top", "organization"], attributes: { o: ["nhs"] } },
    {
      dn: `uniqueIdentifier=928942012545${dnSuffix},ou=Services,o=nhs`,
      objectClasses: ["top", "nhsAs"],
      attributes: { uniqueIdentifier: ["928942012545"], nhsMHSPartyKey: ["YES-0000806"] },
    },
  ],
  patients: [
    {
      nhsNumber: "9990000018",
      givenName: "Ada",
      familyName: "Tester",
      gender: "female",
      birthDate: "1970-01-02",
      addressLines: ["1 Test Street", "Leeds"],
      postcode: "LS1 4AP",
      gpOdsCode: "A20047",
      provenance: "synthetic",
    },
  ],
  smartcards: [{ cardId: "00000000-0000-4000-8000-000000000001", uid: "999000000001", passcode: "1234" }],
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "spine-sim-store-"));
}

/** The contract any Store implementation must keep. */
function storeContract(label: string, open: () => Store): void {
  describe(`Store contract (${label})`, () => {
    const fresh = (): Store => {
      const store = open();
      onTestFinished(() => store.close());
      return store;
    };

    it("starts migrated to the latest schema version and empty", () => {
      const store = fresh();
      expect(store.schemaVersion).toBe(migrations.length);
      expect(store.loadedScenario()).toBeUndefined();
      expect(store.directoryEntries()).toEqual([]);
      expect(store.patientCount()).toBe(0);
    });

    it("replaces scenario data as a whole and reads it back", () => {
      const store = fresh();
      store.replaceScenario(scenario("one"), "2026-01-01T00:00:00.000Z");
      store.replaceScenario(scenario("two", "9"), "2026-01-02T00:00:00.000Z");
      expect(store.loadedScenario()).toMatchObject({
        name: "two",
        fingerprint: "fp-two",
        loadedAt: "2026-01-02T00:00:00.000Z",
      });
      expect(store.loadedScenario()?.quickStart?.partyKey).toBe("A20047-9198993");
      expect(store.directoryEntries().map((e) => e.dn)).toEqual([
        "o=nhs",
        "uniqueIdentifier=9289420125459,ou=Services,o=nhs",
      ]);
      expect(store.patientCount()).toBe(1);
    });

    it("finds an entry by DN whatever its case and spacing", () => {
      const store = fresh();
      store.replaceScenario(scenario("one"), "2026-01-01T00:00:00.000Z");
      const entry = store.directoryEntry("UNIQUEIDENTIFIER=928942012545, ou=services, o=NHS");
      expect(entry?.attributes.nhsMHSPartyKey).toEqual(["YES-0000806"]);
      expect(store.directoryEntry("uniqueIdentifier=1,ou=Services,o=nhs")).toBeUndefined();
    });

    it("leaves the previous scenario in place when a load fails half way", () => {
      const store = fresh();
      store.replaceScenario(scenario("good"), "2026-01-01T00:00:00.000Z");
      const broken = scenario("broken");
      const duplicate = { ...broken, directory: [...broken.directory, ...broken.directory] };
      expect(() => store.replaceScenario(duplicate, "2026-01-02T00:00:00.000Z")).toThrow();
      expect(store.loadedScenario()?.name).toBe("good");
      expect(store.directoryEntries()).toHaveLength(2);
    });

    it("reads patients and smartcards by key", () => {
      const store = fresh();
      store.replaceScenario(scenario("one"), "2026-01-01T00:00:00.000Z");
      expect(store.patient("9990000018")).toMatchObject({
        familyName: "Tester",
        addressLines: ["1 Test Street", "Leeds"],
      });
      expect(store.patient("9990000026")).toBeUndefined();
      expect(store.smartcard("00000000-0000-4000-8000-000000000001")?.uid).toBe("999000000001");
    });

    it("keeps registered endpoints across scenario reloads and updates them by party key", () => {
      const store = fresh();
      const endpoint = {
        odsCode: "Z99001",
        asid: "999900000101",
        partyKey: "Z99001-0000101",
        url: "https://localhost:9443/a",
        interactions: ["urn:nhs:names:services:psis:MCCI_IN010000UK13"],
        registeredAt: "2026-01-01T00:00:00.000Z",
      };
      store.registerEndpoint(endpoint);
      store.replaceScenario(scenario("one"), "2026-01-01T00:00:00.000Z");
      store.registerEndpoint({ ...endpoint, url: "https://localhost:9443/b" });
      expect(store.registeredEndpoints()).toEqual([{ ...endpoint, url: "https://localhost:9443/b" }]);
    });

    it("keeps imported directory entries across scenario reloads, replacing them by key or all at once", () => {
      const store = fresh();
      const imported = {
        dn: "ou=Extra,o=nhs",
        key: "ou=extra,o=nhs",
        objectClasses: ["organizationalUnit"],
        attributes: { objectClass: ["organizationalUnit"], ou: ["Extra"] },
        source: "extra.ldif",
        line: 3,
        importedAt: "2026-01-01T00:00:00.000Z",
      };
      store.importDirectoryEntries([imported], false);
      store.replaceScenario(scenario("one"), "2026-01-01T00:00:00.000Z");
      const changed = {
        ...imported,
        dn: "OU=Extra,o=nhs",
        attributes: { ...imported.attributes, description: ["x"] },
      };
      store.importDirectoryEntries([changed], false);
      expect(store.importedDirectoryEntries()).toEqual([changed]);
      const other = { ...imported, dn: "ou=Other,o=nhs", key: "ou=other,o=nhs" };
      store.importDirectoryEntries([other], true);
      expect(store.importedDirectoryEntries()).toEqual([other]);
      expect(store.directoryEntries().map((e) => e.dn)).not.toContain("ou=Other,o=nhs");
    });

    it("appends journal events with increasing ids and pages through them", () => {
      const store = fresh();
      const first = store.appendJournal({
        at: "2026-01-01T00:00:00.000Z",
        kind: "a",
        summary: "one",
        messageId: "M1",
        detail: { n: 1 },
      });
      const second = store.appendJournal({ at: "2026-01-01T00:00:01.000Z", kind: "b", summary: "two" });
      expect(second.id).toBeGreaterThan(first.id);
      expect(store.journal().map((e) => e.summary)).toEqual(["one", "two"]);
      expect(store.journal({ afterId: first.id }).map((e) => e.summary)).toEqual(["two"]);
      expect(store.journal({ messageId: "M1" })[0]?.detail).toEqual({ n: 1 });
      expect(store.journal({ limit: 1 })).toHaveLength(1);
    });
  });
}

storeContract(":memory:", () => openSqliteStore(":memory:"));
storeContract("file", () => openSqliteStore(join(tempDir(), "nested", "spine-sim.db")));

describe("openSqliteStore", () => {
  it("re-opens a file store without re-running migrations and keeps its data", () => {
    const file = join(tempDir(), "s.db");
    const first = openSqliteStore(file);
    first.replaceScenario(scenario("kept"), "2026-01-01T00:00:00.000Z");
    first.close();
    const second = openSqliteStore(file);
    onTestFinished(() => second.close());
    expect(second.schemaVersion).toBe(migrations.length);
    expect(second.loadedScenario()?.name).toBe("kept");
  });

  it("uses WAL journalling", () => {
    const file = join(tempDir(), "wal.db");
    openSqliteStore(file).close();
    const db = new Database(file, { readonly: true });
    onTestFinished(() => {
      db.close();
    });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
  });

  it("refuses a corrupt file with a clear error and leaves it byte for byte untouched", () => {
    const file = join(tempDir(), "corrupt.db");
    writeFileSync(file, "this is not a database, just text that happens to be here\n".repeat(100));
    const before = readFileSync(file);
    expect(() => openSqliteStore(file)).toThrow(/not a readable SQLite database.*left it untouched/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("refuses another application's SQLite database and leaves it untouched", () => {
    const file = join(tempDir(), "foreign.db");
    const foreign = new Database(file);
    foreign.exec(
      "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices (total) VALUES (12.5);",
    );
    foreign.close();
    const before = readFileSync(file);
    let error: unknown;
    try {
      openSqliteStore(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimError);
    expect((error as SimError).code).toBe("STORE_FOREIGN");
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("refuses a database written by a newer spine-sim", () => {
    const dir = tempDir();
    const file = join(dir, "new.db");
    openSqliteStore(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    const copy = join(dir, "copy.db");
    copyFileSync(file, copy);
    expect(() => openSqliteStore(copy)).toThrow(/schema version .* knows up to/);
  });

  it("says which directory cannot be written", () => {
    const dir = tempDir();
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "");
    let error: unknown;
    try {
      openSqliteStore(join(blocker, "data", "spine-sim.db"));
    } catch (e) {
      error = e;
    }
    expect((error as SimError).code).toBe("DIR_UNWRITABLE");
    expect((error as SimError).message).toContain(join(blocker, "data"));
  });
});
