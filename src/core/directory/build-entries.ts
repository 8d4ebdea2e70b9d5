/**
 * Expands declarative seed data into SDS entries (reference/sds-ldap.md §2–4): the o=nhs tree,
 * organisations, people (person → org person → role profile), and for each accredited system its
 * nhsAs entry plus one nhsMhs entry per interaction it receives, with contract properties from the
 * interaction's message pattern unless the seed overrides them.
 *
 * Spine's own endpoints are stored with the SPINE_BASE_URL token and resolved to the simulator's
 * public URL when the directory is read, because the bound port is only known after start.
 */
import {
  contractDefaults,
  lookupServiceInteraction,
  parseSvcIA,
  spineIntermediaryContract,
} from "../interactions/catalogue.js";
import type { LdifRecord } from "../scenarios/ldif.js";
import type { SeedData } from "../scenarios/load-scenario.js";
import type {
  InteractionSeed,
  MessagePattern,
  OrganisationSeed,
  PersonSeed,
  SystemSeed,
} from "../scenarios/seed-schema.js";
import type { DirectoryEntry, RegisteredEndpoint } from "../store/store.js";

export const SPINE_BASE_URL = "${SPINE_BASE_URL}";
export const SPINE_HOST = "${SPINE_HOST}";

/** The approval stamp every seeded entry carries (the MUST attributes of nhsAs / nhsMhs). */
const approval = {
  nhsRequestorURP: ["SYSTEM"],
  nhsDateRequested: ["20240101000000"],
  nhsApproverURP: ["SYSTEM"],
  nhsDateApproved: ["20240101000000"],
};

type Attributes = Record<string, string[]>;

function entry(dn: string, objectClasses: string[], attributes: Attributes): DirectoryEntry {
  return { dn, objectClasses, attributes: { objectClass: objectClasses, ...attributes } };
}

const compact = (attributes: Record<string, (string | undefined)[] | undefined>): Attributes =>
  Object.fromEntries(
    Object.entries(attributes)
      .map(
        ([name, values]) =>
          [name, (values ?? []).filter((v): v is string => v !== undefined && v !== "")] as const,
      )
      .filter(([, values]) => values.length > 0),
  );

export function buildDirectoryEntries(seed: SeedData): DirectoryEntry[] {
  const entries: DirectoryEntry[] = [
    entry("o=nhs", ["top", "organization"], { o: ["nhs"] }),
    entry("ou=Organisations,o=nhs", ["top", "organizationalUnit"], { ou: ["Organisations"] }),
    entry("ou=People,o=nhs", ["top", "organizationalUnit"], { ou: ["People"] }),
    entry("ou=Services,o=nhs", ["top", "organizationalUnit"], { ou: ["Services"] }),
  ];
  const orgNames = new Map(seed.organisations.map((o) => [o.odsCode, o.name]));
  for (const org of seed.organisations) entries.push(organisationEntry(org));
  for (const person of seed.people) entries.push(...personEntries(person, orgNames));
  for (const system of seed.systems) entries.push(...systemEntries(system));
  for (const record of seed.ldif) entries.push(ldifEntry(record));
  return entries;
}

function organisationEntry(org: OrganisationSeed): DirectoryEntry {
  return entry(
    `uniqueIdentifier=${org.odsCode},ou=Organisations,o=nhs`,
    ["top", "organization", org.objectClass],
    compact({
      uniqueIdentifier: [org.odsCode],
      o: [org.name],
      nhsIDCode: [org.odsCode],
      nhsOrgType: [org.orgType],
      nhsOrgTypeCode: [org.orgTypeCode],
      postalAddress: [org.postalAddress.join("$")],
      postalCode: [org.postalCode],
      l: [org.locality],
      nhsParentOrgCode: [org.parentOrgCode],
      nhsPCTCode: [org.pctCode],
      nhsOrgOpenDate: [org.openDate],
      nhsSyntheticIndicator: [org.provenance === "synthetic" ? "1" : undefined],
    }),
  );
}

function personEntries(person: PersonSeed, orgNames: ReadonlyMap<string, string>): DirectoryEntry[] {
  const personDn = `uid=${person.uid},ou=People,o=nhs`;
  const cn = `${person.familyName.toUpperCase()} ${person.givenName}`;
  const inetOrgPerson = ["top", "person", "organizationalPerson", "inetOrgPerson"];
  const entries = [
    entry(
      personDn,
      [...inetOrgPerson, "nhsPerson"],
      compact({
        uid: [person.uid],
        cn: [cn],
        sn: [person.familyName],
        givenName: [person.givenName],
        personalTitle: [person.title],
        nhsPersonStatus: [person.status],
        nhsGMC: [person.professionalCodes?.gmc],
      }),
    ),
  ];
  for (const org of person.orgs) {
    const orgPersonDn = `uniqueIdentifier=${org.orgPersonId},${personDn}`;
    entries.push(
      entry(
        orgPersonDn,
        [...inetOrgPerson, "nhsOrgPerson"],
        compact({
          uniqueIdentifier: [org.orgPersonId],
          uid: [person.uid],
          cn: [cn],
          sn: [person.familyName],
          givenName: [person.givenName],
          o: [orgNames.get(org.odsCode)],
          nhsIDCode: [org.odsCode],
        }),
      ),
    );
    for (const role of org.roles) {
      entries.push(
        entry(
          `uniqueIdentifier=${role.roleProfileId},${orgPersonDn}`,
          ["top", "nhsOrgPersonRole"],
          compact({
            uniqueIdentifier: [role.roleProfileId],
            nhsJobRole: [role.jobRole],
            nhsJobRoleCode: [role.jobRoleCode],
            nhsIDCode: [org.odsCode],
            nhsBusinessFunctionsCodes: role.businessFunctionCodes,
            nhsAreaOfWorkCodes: role.areaOfWorkCodes,
          }),
        ),
      );
    }
  }
  return entries;
}

function systemEntries(system: SystemSeed): DirectoryEntry[] {
  const received = system.receives.map((interaction) => `${interaction.service}:${interaction.interaction}`);
  const as = entry(
    `uniqueIdentifier=${system.asid},ou=Services,o=nhs`,
    ["top", "nhsAs"],
    compact({
      uniqueIdentifier: [system.asid],
      nhsIDCode: [system.odsCode],
      nhsMHSPartyKey: [system.partyKey],
      nhsAsClient: system.clients ?? [system.odsCode],
      nhsAsSvcIA: [...new Set([...system.sends, ...received])],
      nhsProductKey: [system.productKey],
      nhsProductName: [system.productName],
      nhsProductVersion: [system.productVersion],
      nhsMhsManufacturerOrg: [system.manufacturerOrg],
      ...approval,
    }),
  );
  return [as, ...system.receives.map((interaction, index) => mhsEntry(system, interaction, index))];
}

function mhsEntry(system: SystemSeed, interaction: InteractionSeed, index: number): DirectoryEntry {
  const cpaId = interaction.cpaId ?? `S${system.asid}${String(index + 1).padStart(2, "0")}`;
  const pattern: MessagePattern =
    interaction.pattern ??
    lookupServiceInteraction(interaction.service, interaction.interaction)?.pattern ??
    "reliable";
  // Spine's own intermediary entries carry no end-party reliability (sds-ldap.md §6).
  const base =
    system.spine && pattern === "intermediary" ? spineIntermediaryContract : contractDefaults[pattern];
  const contract = { ...base, ...interaction.contract };
  const endpoint = endpointUrl(system, interaction);
  const fqdn = system.spine ? SPINE_HOST : hostOf(endpoint);
  return entry(
    `uniqueIdentifier=${cpaId},ou=Services,o=nhs`,
    ["top", "nhsMhs"],
    compact({
      uniqueIdentifier: [cpaId],
      nhsMhsCPAId: [cpaId],
      nhsIDCode: [system.odsCode],
      nhsMHSPartyKey: [system.partyKey],
      nhsMHsSN: [interaction.service],
      nhsMHsIN: [interaction.interaction],
      nhsMhsSvcIA: [`${interaction.service}:${interaction.interaction}`],
      nhsMHSEndPoint: [endpoint],
      nhsMhsFQDN: [fqdn],
      nhsMHSSyncReplyMode: [contract.syncReplyMode],
      nhsMHSAckRequested: [contract.ackRequested],
      nhsMHSDuplicateElimination: [contract.duplicateElimination],
      nhsMHSActor: [...(contract.actor ?? [])],
      nhsMHSRetries: [contract.retries === undefined ? undefined : String(contract.retries)],
      nhsMHSRetryInterval: [contract.retryInterval],
      nhsMHSPersistDuration: [contract.persistDuration],
      nhsMHSIsAuthenticated: ["transient"],
      nhsEPInteractionType: [pattern === "sync" ? "HL7" : "ebXML"],
      nhsProductKey: [system.productKey],
      nhsProductName: [system.productName],
      nhsContractPropertyTemplateKey: ["14"],
      nhsMhsManufacturerOrg: [system.manufacturerOrg],
      nhsDNSApprover: ["SYSTEM"],
      nhsDateDNSApproved: ["20240101000000"],
      ...approval,
    }),
  );
}

function endpointUrl(system: SystemSeed, interaction: InteractionSeed): string {
  const endpoint = interaction.endpoint ?? system.endpoint ?? "";
  if (system.spine) return `${SPINE_BASE_URL}${endpoint.startsWith("/") ? endpoint : `/${endpoint}`}`;
  return endpoint;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

/**
 * Entries for endpoints registered at run time. They live beside the scenario's entries rather than
 * in them, so registering an endpoint never reloads the scenario (20k addresses and all).
 */
export function registeredEndpointEntries(registered: readonly RegisteredEndpoint[]): DirectoryEntry[] {
  return registered.flatMap((endpoint) => systemEntries(registeredSystem(endpoint)));
}

/**
 * An endpoint registered at run time becomes an accredited system of its own (reference test-data
 * T4): it sends the interactions it registered and receives their replies, plus, for multi-hop
 * interactions, the interaction itself from its peers.
 */
function registeredSystem(endpoint: RegisteredEndpoint): SystemSeed {
  const receives = new Map<string, InteractionSeed>();
  for (const sent of endpoint.interactions) {
    const parsed = parseSvcIA(sent);
    const info =
      parsed === undefined ? undefined : lookupServiceInteraction(parsed.service, parsed.interaction);
    if (parsed === undefined || info === undefined) continue;
    if (info.reply !== undefined)
      receives.set(`${parsed.service}:${info.reply}`, { service: parsed.service, interaction: info.reply });
    if (info.pattern === "intermediary")
      receives.set(sent, { service: parsed.service, interaction: parsed.interaction });
  }
  return {
    asid: endpoint.asid,
    odsCode: endpoint.odsCode,
    partyKey: endpoint.partyKey,
    productName: "Registered supplier endpoint",
    productKey: "999",
    spine: false,
    quickStart: false,
    endpoint: endpoint.url,
    sends: [...endpoint.interactions],
    receives: [...receives.values()],
    provenance: "synthetic",
  };
}

function ldifEntry(record: LdifRecord): DirectoryEntry {
  const isObjectClass = (name: string): boolean => name.toLowerCase() === "objectclass";
  const entries = [...record.attributes];
  const objectClasses = entries.find(([name]) => isObjectClass(name))?.[1] ?? ["top"];
  return entry(
    record.dn,
    objectClasses,
    Object.fromEntries(entries.filter(([name]) => !isObjectClass(name))),
  );
}

/** Replaces the Spine tokens with the simulator's public URL (sds-ldap.md L11). */
export function resolveSpineEndpoints(
  entries: readonly DirectoryEntry[],
  publicUrl: string,
): DirectoryEntry[] {
  const base = publicUrl.replace(/\/$/, "");
  const host = new URL(base).hostname;
  return entries.map((e) => {
    const endpoints = e.attributes.nhsMHSEndPoint;
    if (endpoints?.some((v) => v.startsWith(SPINE_BASE_URL)) !== true) return e;
    return {
      ...e,
      attributes: {
        ...e.attributes,
        nhsMHSEndPoint: endpoints.map((v) => v.replace(SPINE_BASE_URL, base)),
        nhsMhsFQDN: [host],
      },
    };
  });
}
