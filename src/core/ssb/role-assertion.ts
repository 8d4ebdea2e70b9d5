/**
 * What a RoleAssertion says about a live session (ssb.md §5, legacy_authorisation.md): the person
 * block, then one job-role block per role profile the user holds (R1), each starting with
 * `nhsIdCode`. Empty values are left out entirely, as Spine does. Serialised to SAML 1.1 by
 * src/servers/ssb/saml.ts.
 */
import type { LiveSession } from "./ssb-service.js";

export interface SamlAttribute {
  readonly name: string;
  readonly values: readonly string[];
}

export function roleAssertionAttributes(live: LiveSession): SamlAttribute[] {
  const { person, session, role } = live;
  const attributes: SamlAttribute[] = [];
  const add = (name: string, values: readonly (string | undefined)[]): void => {
    const present = values.filter((v): v is string => v !== undefined && v !== "");
    if (present.length > 0) attributes.push({ name, values: present });
  };
  add("ssbAssertionVersion", ["1.1"]);
  add("cn", [person.cn]);
  add("uid", [person.uid]);
  add("nhsOcsPrCode", [person.nhsOcsPrCode]);
  add("ssbSessionRoleUid", [role?.roleProfileId]);
  add("ssbMode", [session.ssbMode]);
  for (const r of person.roles) {
    add("nhsIdCode", [r.odsCode]);
    add("o", [r.orgName]);
    add("nhsJobRole", [r.jobRole]);
    add("nhsJobRoleCode", [r.jobRoleCode]);
    add("uniqueIdentifier", [r.roleProfileId]);
    add("nhsBusinessFunctionsCodes", r.businessFunctionCodes);
    add("nhsAreaOfWorkCodes", r.areaOfWorkCodes);
  }
  return attributes;
}
