// Extracts the subset of the real OpenTest SDS schema that spine-sim serves (reference sds-ldap.md L6)
// from the ldap3 dump in NHSDigital/integration-adaptor-mhs (MIT), and writes it with its licence
// notice to src/core/directory/sds-schema.json. Run it again only when the source dump changes:
//
//   node scripts/extract-sds-schema.mjs [path/to/sds-dumps]
//
// The subset: every NHS object class (X-ORIGIN 'nhsSDS'), the standard classes the tree uses and
// their superiors, the operational classes (root DSE, subschema, alias, referral, extensibleObject);
// every attribute type those classes name, every NHS attribute type, their superiors, and the
// operational attribute types outside OpenLDAP's cn=config (olc*); all syntaxes and matching rules;
// matchingRuleUse trimmed to the attribute types kept. Added (SIM-OWN): nhsTempUid, and
// nhsMhsManufacturerOrg / nhsTempUid in the MAY lists of nhsAs and nhsMhs, where production data
// carries them.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dumps = process.argv[2] ?? "/work/shared/reference/data/sds-dumps";
const raw = JSON.parse(readFileSync(join(dumps, "my_real_server_schema.json"), "utf8")).raw;
const info = JSON.parse(readFileSync(join(dumps, "my_real_server_info.json"), "utf8")).raw;
const licence = readFileSync(join(dumps, "LICENSE.txt"), "utf8");

/** Splits an RFC 4512 definition into tokens: ( ) $ 'quoted' and bare words. */
function tokens(text) {
  return [...text.matchAll(/'((?:[^'\\]|\\.)*)'|([()$])|([^\s()$']+)/g)].map((m) =>
    m[1] !== undefined ? { q: m[1] } : (m[2] ?? m[3]),
  );
}

/** { oid, names[], fields: { KEYWORD: string[] } } for one definition. */
function parse(text) {
  const t = tokens(text);
  const def = { oid: t[1], names: [], fields: {}, text };
  let key;
  for (let i = 2; i < t.length - 1; i++) {
    const tok = t[i];
    if (typeof tok === "string" && /^[A-Z][A-Z-]*$/.test(tok)) {
      key = tok;
      def.fields[key] ??= [];
      continue;
    }
    if (tok === "(" || tok === ")" || tok === "$") continue;
    def.fields[key].push(typeof tok === "string" ? tok : tok.q);
  }
  def.names = def.fields.NAME ?? [];
  return def;
}

const classes = raw.objectClasses.map(parse);
const attributes = raw.attributeTypes.map(parse);
const lc = (s) => s.toLowerCase();
const classByName = new Map(classes.flatMap((c) => [c.oid, ...c.names].map((n) => [lc(n), c])));
const attrByName = new Map(attributes.flatMap((a) => [a.oid, ...a.names].map((n) => [lc(n), a])));

const keepClasses = new Set();
const wantClasses = [
  ...classes.filter((c) => c.fields["X-ORIGIN"]?.includes("nhsSDS")).map((c) => c.names[0]),
  "top",
  "alias",
  "referral",
  "extensibleObject",
  "OpenLDAProotDSE",
  "subentry",
  "subschema",
  "organization",
  "organizationalUnit",
  "person",
  "organizationalPerson",
  "inetOrgPerson",
  "organizationalRole",
  "groupOfNames",
  "groupOfUniqueNames",
  "country",
  "locality",
  "device",
  "applicationProcess",
  "dcObject",
  "uidObject",
  "labeledURIObject",
];
const missing = [];
function keepClass(name) {
  const c = classByName.get(lc(name));
  if (c === undefined) return missing.push(`object class ${name}`);
  if (keepClasses.has(c)) return;
  keepClasses.add(c);
  for (const sup of c.fields.SUP ?? []) keepClass(sup);
}
wantClasses.forEach(keepClass);

const keepAttributes = new Set();
function keepAttribute(name) {
  const a = attrByName.get(lc(name));
  if (a === undefined) return missing.push(`attribute type ${name}`);
  if (keepAttributes.has(a)) return;
  keepAttributes.add(a);
  for (const sup of a.fields.SUP ?? []) keepAttribute(sup);
}
for (const c of keepClasses)
  for (const n of [...(c.fields.MUST ?? []), ...(c.fields.MAY ?? [])]) keepAttribute(n);
for (const a of attributes) {
  const nhs = a.fields["X-ORIGIN"]?.includes("nhsSDS");
  const operational = a.fields.USAGE !== undefined && !a.names.some((n) => n.startsWith("olc"));
  if (nhs || operational) keepAttribute(a.names[0]);
}
for (const n of Object.keys(info)) keepAttribute(n);
// OpenLDAP leaves a few of its own types out of cn=Subschema (subtreeSpecification, dITStructureRules,
// nameForms, dITContentRules, configContext, supportedCapabilities); they stay undefined here too.
if (missing.length > 0) console.log(`named but not defined in the dump (left out): ${missing.join(", ")}`);

// SIM-OWN additions (sds-ldap.md §3, L6). The real OID of nhsTempUid is not public; this one sits
// outside the NHS arc so that it can never collide with a real NHS attribute type.
const addedAttributes = [
  "( 1.3.6.1.4.1.99999.1285.1.1 NAME 'nhsTempUid' DESC 'spine-sim: legacy temporary uid seen on production nhsAs records; OID is spine-sim own' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE X-ORIGIN 'spine-sim' )",
];
const widen = { nhsAs: ["nhsMhsManufacturerOrg", "nhsTempUid"], nhsMhs: ["nhsMhsManufacturerOrg"] };

const classOrder = classes.filter((c) => keepClasses.has(c));
const objectClasses = classOrder.map((c) => {
  const extra = widen[c.names[0]];
  if (extra === undefined) return c.text;
  return c.text.replace(/MAY \( ([^)]*) \)/, (_, list) => `MAY ( ${list} $ ${extra.join(" $ ")} )`);
});
const keptNames = new Set([...keepAttributes].flatMap((a) => [a.oid, ...a.names].map(lc)));
const matchingRuleUse = raw.matchingRuleUse
  .map((text) => {
    const applies = text.match(/APPLIES \( ([^)]*) \)|APPLIES (\S+)/);
    if (applies === null) return undefined;
    const list = (applies[1] ?? applies[2]).split(/\s*\$\s*/).filter((n) => keptNames.has(lc(n.trim())));
    if (list.length === 0) return undefined;
    const value = list.length === 1 ? list[0] : `( ${list.join(" $ ")} )`;
    return text.replace(applies[0], `APPLIES ${value}`);
  })
  .filter((t) => t !== undefined);

const out = {
  source:
    "NHSDigital/integration-adaptor-mhs mhs/spineroutelookup/lookup/tests/data/my_real_server_schema.json and my_real_server_info.json (cn=Subschema and root DSE of the OpenTest SDS), subset extracted by scripts/extract-sds-schema.mjs",
  licence,
  additions:
    "spine-sim additions: attribute type nhsTempUid (spine-sim OID); nhsMhsManufacturerOrg and nhsTempUid added to the MAY list of nhsAs, nhsMhsManufacturerOrg to nhsMhs",
  ldapSyntaxes: raw.ldapSyntaxes,
  matchingRules: raw.matchingRules,
  matchingRuleUse,
  attributeTypes: [...attributes.filter((a) => keepAttributes.has(a)).map((a) => a.text), ...addedAttributes],
  objectClasses,
};
const file = join(root, "src/core/directory/sds-schema.json");
writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
writeFileSync(
  join(root, "src/core/directory/sds-schema.LICENSE.txt"),
  `sds-schema.json is a subset of the OpenTest SDS schema dump published in\n` +
    `NHSDigital/integration-adaptor-mhs (mhs/spineroutelookup/lookup/tests/data/), under this licence:\n\n${licence}`,
);
console.log(
  `wrote ${file}: ${out.objectClasses.length} object classes, ${out.attributeTypes.length} attribute types, ` +
    `${out.ldapSyntaxes.length} syntaxes, ${out.matchingRules.length} matching rules`,
);
