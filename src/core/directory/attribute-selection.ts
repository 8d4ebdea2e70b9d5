/**
 * Which attributes a search returns (RFC 4511 §4.5.1.8, RFC 3673, RFC 4529): an empty list or `*`
 * means every user attribute, `+` every operational attribute, `1.1` none, `@class` the attributes
 * the class allows; names match case-insensitively (and by OID), a supertype brings its subtypes,
 * unknown names are ignored. Names go out in the schema's canonical spelling whatever the request
 * said (reference sds-ldap.md §5, §8: ldapjs issue #900).
 */
import type { IndexedAttribute } from "./indexed-entry.js";
import type { Schema } from "./sds-schema.js";

export interface AttributeSelection {
  includes(attribute: IndexedAttribute): boolean;
}

export function selectAttributes(requested: readonly string[], schema: Schema): AttributeSelection {
  let allUser = requested.length === 0;
  let allOperational = false;
  const wanted = new Set<string>();
  for (const raw of requested) {
    const name = raw.trim();
    if (name === "*") allUser = true;
    else if (name === "+") allOperational = true;
    else if (name === "1.1" || name === "") continue;
    else if (name.startsWith("@")) {
      const cls = schema.objectClass(name.slice(1));
      for (const t of [...(cls?.must ?? []), ...(cls?.may ?? [])])
        for (const s of t.subtypes) wanted.add(s.oid);
    } else {
      const type = schema.attributeType(name);
      if (type !== undefined) for (const s of type.subtypes) wanted.add(s.oid);
      // A name the schema lacks can still match an attribute stored under it.
      else wanted.add(name.toLowerCase());
    }
  }
  return {
    includes: (attribute) =>
      wanted.has(attribute.type.oid) || (attribute.type.operational ? allOperational : allUser),
  };
}
