/**
 * The smartcard users as the SSB sees them, read from the SDS people tree (sds-ldap.md §4):
 * nhsPerson `uid=…,ou=People,o=nhs` → nhsOrgPerson → nhsOrgPersonRole (the role profiles). Built
 * once per directory version, never per request.
 */
import type { DirectoryEntry } from "../store/store.js";

export interface SsbRole {
  /** nhsOrgPersonRole `uniqueIdentifier`: the role profile id (SAML `ssbSessionRoleUid`). */
  readonly roleProfileId: string;
  /** nhsOrgPerson `uniqueIdentifier`. */
  readonly orgPersonId: string;
  /** `nhsIDCode`: the organisation's ODS code. */
  readonly odsCode: string;
  /** The organisation's name (`o` on the org person, else the organisation entry). */
  readonly orgName: string;
  readonly jobRole: string;
  readonly jobRoleCode: string;
  readonly businessFunctionCodes: readonly string[];
  readonly areaOfWorkCodes: readonly string[];
}

export interface SsbPerson {
  readonly uid: string;
  readonly cn: string;
  /** `nhsPersonStatus`: "1" active; anything else cannot sign on. */
  readonly status: string;
  readonly nhsOcsPrCode: string | undefined;
  readonly roles: readonly SsbRole[];
}

const first = (entry: DirectoryEntry, name: string): string | undefined => {
  const key = Object.keys(entry.attributes).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : entry.attributes[key]?.[0];
};
const all = (entry: DirectoryEntry, name: string): readonly string[] => {
  const key = Object.keys(entry.attributes).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? [] : (entry.attributes[key] ?? []);
};
const hasClass = (entry: DirectoryEntry, objectClass: string): boolean =>
  entry.objectClasses.some((c) => c.toLowerCase() === objectClass.toLowerCase());

/** The DN's parent, compared in lower case (the tree is built from well-formed DNs). */
const parentOf = (dn: string): string =>
  dn
    .slice(dn.indexOf(",") + 1)
    .trim()
    .toLowerCase();

export function readSsbPeople(entries: readonly DirectoryEntry[]): ReadonlyMap<string, SsbPerson> {
  const orgNames = new Map<string, string>();
  const orgPeople = new Map<string, DirectoryEntry>();
  const rolesByParent = new Map<string, DirectoryEntry[]>();
  const persons: DirectoryEntry[] = [];
  for (const entry of entries) {
    if (entry.dn.toLowerCase().replace(/\s+/g, "").endsWith(",ou=organisations,o=nhs")) {
      const ods = first(entry, "nhsIDCode") ?? first(entry, "uniqueIdentifier");
      const name = first(entry, "o");
      if (ods !== undefined && name !== undefined) orgNames.set(ods, name);
    } else if (hasClass(entry, "nhsPerson")) persons.push(entry);
    else if (hasClass(entry, "nhsOrgPerson")) orgPeople.set(entry.dn.toLowerCase(), entry);
    else if (hasClass(entry, "nhsOrgPersonRole")) {
      const parent = parentOf(entry.dn);
      rolesByParent.set(parent, [...(rolesByParent.get(parent) ?? []), entry]);
    }
  }
  const orgPeopleByPerson = new Map<string, DirectoryEntry[]>();
  for (const [dn, orgPerson] of orgPeople) {
    const parent = parentOf(dn);
    orgPeopleByPerson.set(parent, [...(orgPeopleByPerson.get(parent) ?? []), orgPerson]);
  }

  const people = new Map<string, SsbPerson>();
  for (const person of persons) {
    const uid = first(person, "uid");
    if (uid === undefined) continue;
    const roles: SsbRole[] = [];
    for (const orgPerson of orgPeopleByPerson.get(person.dn.toLowerCase()) ?? []) {
      for (const role of rolesByParent.get(orgPerson.dn.toLowerCase()) ?? []) {
        const odsCode = first(role, "nhsIDCode") ?? first(orgPerson, "nhsIDCode") ?? "";
        roles.push({
          roleProfileId: first(role, "uniqueIdentifier") ?? "",
          orgPersonId: first(orgPerson, "uniqueIdentifier") ?? "",
          odsCode,
          orgName: first(orgPerson, "o") ?? orgNames.get(odsCode) ?? odsCode,
          jobRole: first(role, "nhsJobRole") ?? "",
          jobRoleCode: first(role, "nhsJobRoleCode") ?? "",
          businessFunctionCodes: all(role, "nhsBusinessFunctionsCodes"),
          areaOfWorkCodes: all(role, "nhsAreaOfWorkCodes"),
        });
      }
    }
    people.set(uid, {
      uid,
      cn: first(person, "cn") ?? uid,
      status: first(person, "nhsPersonStatus") ?? "1",
      nhsOcsPrCode: first(person, "nhsOCSPrCode"),
      roles,
    });
  }
  return people;
}

/** readSsbPeople, rebuilt only when the directory array changes (the simulator swaps it on rebuild). */
export function cachedSsbPeople(
  directory: () => readonly DirectoryEntry[],
): () => ReadonlyMap<string, SsbPerson> {
  let source: readonly DirectoryEntry[] | undefined;
  let people: ReadonlyMap<string, SsbPerson> = new Map();
  return () => {
    const current = directory();
    if (current !== source) {
      source = current;
      people = readSsbPeople(current);
    }
    return people;
  };
}
