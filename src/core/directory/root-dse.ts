/**
 * The root DSE and the subschema subentry the directory publishes (reference sds-ldap.md §1, L2,
 * L6). The real OpenTest root DSE advertises more controls and extensions; spine-sim advertises
 * only what it implements, and no StartTLS (clients use LDAPS).
 */
import type { Schema } from "./sds-schema.js";

export const pagedResultsOid = "1.2.840.113556.1.4.319";
export const manageDsaItOid = "2.16.840.1.113730.3.4.2";
export const whoAmIOid = "1.3.6.1.4.1.4203.1.11.3";
export const passwordModifyOid = "1.3.6.1.4.1.4203.1.11.1";
export const cancelOid = "1.3.6.1.1.8";
export const subschemaDn = "cn=Subschema";
export const namingContext = "o=nhs";

/** Controls the directory honours; any other control marked critical is refused (RFC 4511 §4.1.11). */
export const supportedControls: readonly string[] = [pagedResultsOid, manageDsaItOid];

export type AttributeList = readonly (readonly [name: string, values: readonly string[]])[];

export function rootDseAttributes(): AttributeList {
  return [
    ["objectClass", ["top", "OpenLDAProotDSE"]],
    ["structuralObjectClass", ["OpenLDAProotDSE"]],
    ["entryDN", [""]],
    ["namingContexts", [namingContext]],
    ["subschemaSubentry", [subschemaDn]],
    ["supportedControl", supportedControls],
    ["supportedExtension", [passwordModifyOid, whoAmIOid, cancelOid]],
    // all operational attributes (+), @objectClass selection, absolute true/false filters
    ["supportedFeatures", ["1.3.6.1.4.1.4203.1.5.1", "1.3.6.1.4.1.4203.1.5.2", "1.3.6.1.4.1.4203.1.5.3"]],
    ["supportedLDAPVersion", ["3"]],
  ];
}

export function subschemaAttributes(schema: Schema): AttributeList {
  return [
    ["objectClass", ["top", "subentry", "subschema", "extensibleObject"]],
    ["cn", ["Subschema"]],
    ["structuralObjectClass", ["subentry"]],
    ["entryDN", [subschemaDn]],
    ["subschemaSubentry", [subschemaDn]],
    ["ldapSyntaxes", schema.source.ldapSyntaxes],
    ["matchingRules", schema.source.matchingRules],
    ["matchingRuleUse", schema.source.matchingRuleUse],
    ["attributeTypes", schema.source.attributeTypes],
    ["objectClasses", schema.source.objectClasses],
  ];
}
