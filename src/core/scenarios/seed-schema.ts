/**
 * The shapes of the seed-data files a scenario loads (seed-data/*.json|csv|ldif). Seed data is
 * declarative: an accredited system lists its interactions and the loader expands it into the
 * nhsAs entry plus one nhsMhs entry per interaction, with contract properties from its pattern.
 */
import { z } from "zod";

const provenance = z.enum(["synthetic", "public-test-value"]);
const odsCode = z.string().regex(/^[A-Z0-9]{3,6}$/, "an ODS code is 3 to 6 capital letters or digits");
const asid = z.string().regex(/^\d{12}$/, "an ASID is 12 digits");
const partyKey = z.string().regex(/^[A-Z0-9]+-\d{6,8}$/, "a party key is <ODS code>-<6 to 8 digits>");
const sdsId = z.string().regex(/^\d{12}$/, "SDS ids (uid, org-person, role profile) are 12 digits");
const yyyymmdd = z.string().regex(/^\d{8}$/, "dates are YYYYMMDD");

export const organisationSeed = z
  .strictObject({
    odsCode,
    name: z.string().min(1),
    /** nhsOrgType text, e.g. "GP PRACTICE", "NHS TRUST", "PHARMACY". */
    orgType: z.string().min(1),
    orgTypeCode: z.string().min(1),
    objectClass: z.enum(["nhsOrg", "nhsGPPractice"]).default("nhsOrg"),
    postalAddress: z.array(z.string().min(1)).min(1),
    postalCode: z.string().min(1),
    locality: z.string().min(1),
    parentOrgCode: odsCode.optional(),
    /** nhsPCTCode: the commissioning body's code; the schema requires it on nhsGPPractice entries. */
    pctCode: z.string().min(1).optional(),
    openDate: yyyymmdd.optional(),
    provenance,
    source: z.string().optional(),
  })
  .refine((org) => org.objectClass !== "nhsGPPractice" || org.pctCode !== undefined, {
    message:
      "a GP practice (objectClass nhsGPPractice) needs pctCode: the SDS schema makes nhsPCTCode a MUST attribute",
    path: ["pctCode"],
  });

export const messagePattern = z.enum(["sync", "reliable", "unreliable", "intermediary"]);

/** Contract properties of one nhsMhs entry; absent values come from the pattern's defaults. */
export const contractSeed = z.strictObject({
  syncReplyMode: z.enum(["MSHSignalsOnly", "None", "Never", "SignalsAndResponse"]).optional(),
  ackRequested: z.enum(["always", "never"]).optional(),
  duplicateElimination: z.enum(["always", "never"]).optional(),
  actor: z.array(z.string()).optional(),
  retries: z.number().int().min(0).optional(),
  retryInterval: z.string().regex(/^P/, "an ISO-8601 duration such as PT1M").optional(),
  persistDuration: z.string().regex(/^P/, "an ISO-8601 duration such as PT5M").optional(),
});

export const interactionSeed = z.strictObject({
  /** Service URN, e.g. urn:nhs:names:services:pdsquery */
  service: z.string().startsWith("urn:nhs:names:services:"),
  /** Interaction id, e.g. QUPA_IN040000UK32 */
  interaction: z.string().min(1),
  /** Pattern for the contract defaults; from the interaction catalogue when absent. */
  pattern: messagePattern.optional(),
  /** CPA id / MHS uniqueIdentifier; defaults to "S" + ASID + two-digit index (test-data T4). */
  cpaId: z.string().optional(),
  /** Endpoint path or URL; defaults to the system's endpoint. */
  endpoint: z.string().optional(),
  contract: contractSeed.optional(),
});

export const systemSeed = z.strictObject({
  asid,
  odsCode,
  partyKey,
  /** Environments this system exists in (e.g. the e-RS systems differ per environment); all when absent. */
  environments: z.array(z.enum(["int", "dev", "dep"])).optional(),
  productName: z.string().min(1),
  productVersion: z.string().optional(),
  productKey: z.string().min(1),
  manufacturerOrg: odsCode.optional(),
  clients: z.array(odsCode).optional(),
  /**
   * Where Spine reaches this system's MHS. `spine: true` marks Spine's own entries, whose endpoints
   * are paths rewritten to the simulator's own base URL at load time (sds-ldap L11).
   */
  spine: z.boolean().default(false),
  /** Base URL of the supplier MHS (ignored for Spine entries). */
  endpoint: z.string().optional(),
  /** Interactions this system may send (nhsAsSvcIA), as service:interaction strings. */
  sends: z.array(z.string()).default([]),
  /** Interactions this system's MHS receives: one nhsMhs entry each. */
  receives: z.array(interactionSeed).default([]),
  /** Marks the ready-made supplier endpoint shown in the start banner. */
  quickStart: z.boolean().default(false),
  provenance,
  source: z.string().optional(),
});

export const roleProfileSeed = z.strictObject({
  roleProfileId: sdsId,
  jobRoleCode: z.string().regex(/^S\d{4}:G\d{4}:R\d{4}$/, "a job role code is Sxxxx:Gxxxx:Rxxxx"),
  jobRole: z.string().min(1),
  businessFunctionCodes: z.array(z.string().regex(/^B\d{4}$/)).default([]),
  areaOfWorkCodes: z.array(z.string()).default([]),
});

export const orgPersonSeed = z.strictObject({
  orgPersonId: sdsId,
  odsCode,
  roles: z.array(roleProfileSeed).min(1),
});

export const personSeed = z.strictObject({
  uid: sdsId,
  title: z.string().optional(),
  givenName: z.string().min(1),
  familyName: z.string().min(1),
  status: z.enum(["1", "0"]).default("1"),
  /** Virtual smartcard: card UUID and passcode used by the SSB simulation. */
  smartcard: z.strictObject({ cardId: z.uuid(), passcode: z.string().min(4) }),
  professionalCodes: z.strictObject({ gmc: z.string().optional(), nmc: z.string().optional() }).optional(),
  orgs: z.array(orgPersonSeed).min(1),
  provenance,
});

export const patientSeed = z.strictObject({
  nhsNumber: z.string().regex(/^\d{10}$/),
  title: z.string().optional(),
  givenName: z.string().min(1),
  familyName: z.string().min(1),
  gender: z.enum(["male", "female", "other", "unknown"]),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  addressLines: z.array(z.string()).min(1),
  postcode: z.string().min(1),
  gpOdsCode: odsCode,
  provenance,
});

/** A gazetteer delivery point (gazetteer.md G17); CSV files leave absent fields empty. */
const addressText = z.string().min(1).max(60).optional();
export const addressSeed = z
  .strictObject({
    addressKey: z.coerce
      .number()
      .int("an 8-digit PAF address key")
      .min(10_000_000, "an 8-digit PAF address key")
      .max(99_999_999, "an 8-digit PAF address key"),
    subBuilding: addressText,
    buildingName: addressText,
    buildingNumber: z
      .string()
      .regex(/^\d{1,4}$/, "a building number is 1 to 4 digits")
      .optional(),
    thoroughfare: addressText,
    dependentLocality: addressText,
    postTown: z.string().min(1).max(60),
    county: addressText,
    postcode: z
      .string()
      .regex(
        /^[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}$/,
        "a postcode in capitals with one space, e.g. LS17 8DB",
      ),
  })
  .refine(
    (a) => a.subBuilding !== undefined || a.buildingName !== undefined || a.buildingNumber !== undefined,
    "a delivery point needs a sub-building, building name or building number",
  );

export type OrganisationSeed = z.infer<typeof organisationSeed>;
export type InteractionSeed = z.infer<typeof interactionSeed>;
export type ContractSeed = z.infer<typeof contractSeed>;
export type SystemSeed = z.infer<typeof systemSeed>;
export type PersonSeed = z.infer<typeof personSeed>;
export type PatientSeed = z.infer<typeof patientSeed>;
export type AddressSeed = z.infer<typeof addressSeed>;
export type MessagePattern = z.infer<typeof messagePattern>;

/** The seed-data file kinds a scenario can name, keyed by the `kind` in the scenario's `seed` list. */
export const seedFileSchemas = {
  organisations: z.array(organisationSeed),
  systems: z.array(systemSeed),
  people: z.array(personSeed),
  patients: z.array(patientSeed),
  addresses: z.array(addressSeed),
} as const;

export type SeedKind = keyof typeof seedFileSchemas | "ldif";
