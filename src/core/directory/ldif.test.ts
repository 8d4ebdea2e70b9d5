import { describe, expect, it } from "vitest";
import type { DirectoryEntry } from "../store/store.js";
import { checkLdif, type LdifProblem } from "./ldif-import.js";
import { exportLdif, ldifLineWidth } from "./ldif-export.js";

const tree: DirectoryEntry[] = [
  {
    dn: "o=nhs",
    objectClasses: ["top", "organization"],
    attributes: { objectClass: ["top", "organization"], o: ["nhs"] },
  },
  {
    dn: "ou=Services,o=nhs",
    objectClasses: ["top", "organizationalUnit"],
    attributes: { objectClass: ["top", "organizationalUnit"], ou: ["Services"] },
  },
];

const asAttributes = {
  objectClass: ["top", "nhsAs"],
  uniqueIdentifier: ["999900001234"],
  nhsIDCode: ["Z99999"],
  nhsMHSPartyKey: ["Z99999-0001234"],
  nhsAsSvcIA: ["urn:nhs:names:services:psis:MCCI_IN010000UK13"],
  nhsRequestorURP: ["SYSTEM"],
  nhsDateRequested: ["20240101000000"],
  nhsApproverURP: ["SYSTEM"],
  nhsDateApproved: ["20240101000000"],
};

/** A valid nhsAs record, with extra lines appended. */
function asRecord(extra: string[] = [], dn = "uniqueIdentifier=999900001234,ou=Services,o=nhs"): string {
  const lines = [`dn: ${dn}`];
  for (const [name, values] of Object.entries(asAttributes))
    for (const v of values) lines.push(`${name}: ${v}`);
  return [...lines, ...extra].join("\n");
}

const inTree = new Set(["o=nhs", "ou=services,o=nhs"]);
const check = (text: string) => checkLdif(text, { exists: (key) => inTree.has(key) });

describe("LDIF export", () => {
  it("writes parents before children, the schema's attribute spelling and no operational attributes", () => {
    const entries: DirectoryEntry[] = [
      {
        dn: "uniqueIdentifier=999900001234,ou=Services,o=nhs",
        objectClasses: ["top", "nhsAs"],
        attributes: {
          objectclass: ["top", "nhsAs"],
          UNIQUEIDENTIFIER: ["999900001234"],
          nhsmhspartykey: ["Z99999-0001234"],
        },
      },
      ...[...tree].reverse(),
    ];
    const { text, entries: count } = exportLdif(entries);
    expect(count).toBe(3);
    const dns = text.split("\n").filter((l) => l.startsWith("dn: "));
    expect(dns).toEqual([
      "dn: o=nhs",
      "dn: ou=Services,o=nhs",
      "dn: uniqueIdentifier=999900001234,ou=Services,o=nhs",
    ]);
    expect(text).toContain(
      "objectClass: nhsAs\nuniqueIdentifier: 999900001234\nnhsMHSPartyKey: Z99999-0001234\n",
    );
    expect(text).not.toMatch(/entryUUID|entryDN|hasSubordinates|structuralObjectClass|subschemaSubentry/);
    expect(text.startsWith("version: 1\n")).toBe(true);
  });

  it("base64-encodes values that are not safe strings and folds lines at 76 characters", () => {
    const long = `${"x".repeat(100)}-end`;
    const entry: DirectoryEntry = {
      dn: "uniqueIdentifier=Z99999,ou=Services,o=nhs",
      objectClasses: ["top"],
      attributes: {
        description: [" leading space", ":colon", "<angle", "trailing ", "Zoë", "line\nbreak", long, "plain"],
      },
    };
    const { text } = exportLdif([...tree, entry]);
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(ldifLineWidth);
    const b64 = (s: string): string => Buffer.from(s).toString("base64");
    for (const unsafe of [" leading space", ":colon", "<angle", "trailing ", "Zoë", "line\nbreak"])
      expect(text).toContain(`description:: ${b64(unsafe)}\n`);
    expect(text).toContain("description: plain\n");
    const unfolded = text.replace(/\n /g, "");
    expect(unfolded).toContain(`description: ${long}\n`);
    expect(text).toContain(
      `description: ${long.slice(0, ldifLineWidth - "description: ".length)}\n ${long.slice(ldifLineWidth - "description: ".length, ldifLineWidth - "description: ".length + 75)}`,
    );
  });

  it("reads back what it writes: same entries, same bytes", () => {
    const entry: DirectoryEntry = {
      dn: "uniqueIdentifier=999900001234,ou=Services,o=nhs",
      objectClasses: ["top", "nhsAs"],
      attributes: { ...asAttributes, description: ["Zoë's system", " padded ", "y".repeat(200)] },
    };
    const first = exportLdif([...tree, entry]).text;
    const read = checkLdif(first, { exists: () => false });
    expect(read.problems).toEqual([]);
    expect(read.entries.map((e) => e.dn)).toEqual(["o=nhs", "ou=Services,o=nhs", entry.dn]);
    expect(read.entries[2]?.attributes.description).toEqual(["Zoë's system", " padded ", "y".repeat(200)]);
    expect(exportLdif(read.entries).text).toBe(first);
  });
});

describe("LDIF import checks", () => {
  it("accepts a valid record with folded lines, base64 values, CRLF, a BOM, comments and changetype: add", () => {
    const lines = asRecord([
      `description:: ${Buffer.from("Zoë").toString("base64")}`,
      "nhsProductName: Folded Prod",
      " uct Name",
    ]).split("\n");
    lines.splice(1, 0, "changetype: add");
    const text = `\uFEFFversion: 1\r\n# a comment\r\n ending on a folded line\r\n\r\n${lines.join("\r\n")}\r\n`;
    const result = check(text);
    expect(result.problems).toEqual([]);
    expect(result.entries).toHaveLength(1);
    expect(result.entries[0]?.attributes.description).toEqual(["Zoë"]);
    expect(result.entries[0]?.attributes.nhsProductName).toEqual(["Folded Product Name"]);
    expect(result.entries[0]?.attributes).not.toHaveProperty("changetype");
    expect(result.entries[0]?.key).toBe("uniqueidentifier=999900001234,ou=services,o=nhs");
  });

  it("stores attribute names in the schema's spelling whatever the file wrote", () => {
    const result = check(
      asRecord()
        .replace("nhsMHSPartyKey:", "NHSMHSPARTYKEY:")
        .replace("uniqueIdentifier: ", "uniqueidentifier: "),
    );
    expect(result.problems).toEqual([]);
    expect(Object.keys(result.entries[0]?.attributes ?? {})).toEqual(Object.keys(asAttributes));
  });

  it("accepts a parent given later in the same file", () => {
    const text = [
      "dn: uniqueIdentifier=X1,ou=Extra,o=nhs",
      "objectClass: nhsOrgPersonRole",
      "uniqueIdentifier: X1",
      "nhsJobRole: Tester",
      "",
      "dn: ou=Extra,o=nhs",
      "objectClass: organizationalUnit",
      "ou: Extra",
    ].join("\n");
    expect(check(text).problems).toEqual([]);
  });

  const cases: [string, string, number, RegExp][] = [
    [
      "an unknown attribute type, with a suggestion",
      asRecord(["nhsMhsPartyKee: x"]),
      12,
      /unknown attribute type nhsMhsPartyKee.*did you mean nhsMHSPartyKey/,
    ],
    [
      "an unknown object class",
      asRecord(["objectClass: nhsMhz"]),
      12,
      /unknown object class nhsMhz.*did you mean nhsMhs/,
    ],
    [
      "a missing MUST attribute",
      asRecord().replace(/\nnhsDateApproved: .*/, ""),
      1,
      /lacks nhsDateApproved, which object class nhsAs requires/,
    ],
    [
      "two values of a SINGLE-VALUE attribute",
      asRecord(["nhsProductKey: 1", "nhsProductKey: 2"]),
      13,
      /nhsProductKey is single-valued .*\(lines 12, 13\)/,
    ],
    [
      "an attribute the classes do not allow",
      asRecord(["nhsMhsCPAId: S1"]),
      12,
      /nhsMhsCPAId is not allowed in an entry of object class top, nhsAs/,
    ],
    [
      "a repeated value",
      asRecord(["nhsAsSvcIA: urn:nhs:names:services:psis:MCCI_IN010000UK13"]),
      12,
      /nhsAsSvcIA repeats the value of line 7/,
    ],
    [
      "a missing parent",
      asRecord([], "uniqueIdentifier=999900001234,ou=Nowhere,o=nhs"),
      1,
      /parent ou=Nowhere,o=nhs .* neither in the directory nor in this file/,
    ],
    ["an entry outside o=nhs", asRecord([], "uniqueIdentifier=999900001234,o=elsewhere"), 1, /outside o=nhs/],
    ["an invalid DN", asRecord([], "uniqueIdentifier=9999,,o=nhs"), 1, /is not a valid DN/],
    [
      "an RDN value the entry lacks",
      asRecord([], "uniqueIdentifier=111,ou=Services,o=nhs"),
      1,
      /names uniqueIdentifier=111 but the entry has no such value/,
    ],
    [
      "an operational attribute",
      asRecord(["entryUUID: 5c6f1a2e-0000-5000-8000-000000000000"]),
      12,
      /entryUUID is an operational attribute/,
    ],
    ["an invalid base64 value", asRecord(["description:: not base64!"]), 12, /not valid base64/],
    [
      "a binary base64 value",
      asRecord([`description:: ${Buffer.from([0xff, 0xfe]).toString("base64")}`]),
      12,
      /binary, not UTF-8/,
    ],
    ["a URL value", asRecord(["description:< file:///etc/passwd"]), 12, /URL values/],
    ["attribute options", asRecord(["description;lang-en: x"]), 12, /attribute options/],
    [
      "a change record",
      "dn: ou=Services,o=nhs\nchangetype: modify\nreplace: ou\nou: x",
      2,
      /change records \(changetype: modify\)/,
    ],
    ["a record without dn:", "objectClass: top", 1, /must start with "dn:"/],
    ["no objectClass", "dn: ou=Extra,o=nhs\nou: Extra", 1, /has no objectClass/],
    [
      "two structural chains",
      asRecord(["objectClass: nhsMhs"]),
      1,
      /nhsAs and nhsMhs are structural and not one chain|nhsMhs and nhsAs are structural/,
    ],
    [
      "an invalid syntax",
      "dn: ou=Extra,o=nhs\nobjectClass: organizationalUnit\nou: Extra\nseeAlso: not a dn",
      4,
      /not a valid seeAlso: not a valid DN/,
    ],
    [
      "an empty directory string",
      "dn: ou=Extra,o=nhs\nobjectClass: organizationalUnit\nou: Extra\ndescription:",
      4,
      /empty value/,
    ],
    ["a DN given twice", `${asRecord()}\n\n${asRecord()}`, 13, /repeats the entry at line 1/],
    ["no records at all", "version: 1\n# nothing\n", 1, /no entries/],
  ];
  for (const [what, text, line, message] of cases) {
    it(`reports ${what} with its line and imports nothing`, () => {
      const result = check(text);
      expect(result.entries).toEqual([]);
      expect(result.problems).toContainEqual({
        line,
        message: expect.stringMatching(message) as string,
      } satisfies LdifProblem);
    });
  }

  it("reports every problem of a file, in line order", () => {
    const text = [
      asRecord(["nhsFoo: 1"]),
      "",
      "dn: uniqueIdentifier=X,ou=Gone,o=nhs",
      "objectClass: nhsOrgPersonRole",
      "uniqueIdentifier: X",
    ].join("\n");
    const { problems } = check(text);
    expect(problems.map((p) => p.line)).toEqual([12, 14, 14]);
    expect(problems.map((p) => p.message).join("\n")).toMatch(
      /nhsFoo[\s\S]*parent ou=Gone[\s\S]*lacks nhsJobRole/,
    );
  });
});
