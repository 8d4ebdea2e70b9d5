/**
 * The schema the directory serves and matches with: the real OpenTest SDS subschema (vendored in
 * sds-schema.json, MIT, see sds-schema.LICENSE.txt; regenerate with scripts/extract-sds-schema.mjs).
 * It resolves attribute names case-insensitively (and by OID) to their canonical NAME, supplies each
 * type's equality, substrings and ordering rules (inherited through SUP), and publishes cn=Subschema.
 */
import schemaData from "./sds-schema.json" with { type: "json" };
import { dnKeyOf } from "./dn.js";
import {
  equalityNormalizer,
  orderingComparator,
  substringsNormalizer,
  type Comparator,
  type Normalizer,
  type RuleContext,
} from "./matching-rules.js";
import {
  parseAttributeType,
  parseObjectClass,
  type AttributeTypeDefinition,
  type AttributeUsage,
  type ObjectClassDefinition,
  type ObjectClassKind,
} from "./schema-definitions.js";

export interface AttributeType {
  readonly oid: string;
  /** The canonical spelling: the first NAME of the definition (or the OID if it has none). */
  readonly name: string;
  readonly names: readonly string[];
  readonly sup: AttributeType | undefined;
  readonly equality: string | undefined;
  readonly substr: string | undefined;
  readonly ordering: string | undefined;
  /** The syntax OID (without a length bound), inherited through SUP; undefined if none is given. */
  readonly syntax: string | undefined;
  readonly singleValue: boolean;
  readonly usage: AttributeUsage;
  /** Operational attributes are returned only when asked for by name or with `+`. */
  readonly operational: boolean;
  /** False for names an entry carries that the schema does not define. */
  readonly known: boolean;
  readonly normalizeEquality: Normalizer | undefined;
  readonly normalizeSubstrings: Normalizer | undefined;
  readonly compareOrdering: Comparator | undefined;
  /** This type and every type below it (a filter on `name` also tests `cn`, `sn`, `o`, …). */
  readonly subtypes: readonly AttributeType[];
}

export interface ObjectClass {
  readonly oid: string;
  readonly name: string;
  readonly names: readonly string[];
  readonly kind: ObjectClassKind;
  /** This class and all its superclasses. */
  readonly lineage: readonly ObjectClass[];
  readonly must: readonly AttributeType[];
  readonly may: readonly AttributeType[];
}

export interface SchemaSource {
  readonly attributeTypes: readonly string[];
  readonly objectClasses: readonly string[];
  readonly ldapSyntaxes: readonly string[];
  readonly matchingRules: readonly string[];
  readonly matchingRuleUse: readonly string[];
}

export class Schema implements RuleContext {
  private readonly types = new Map<string, AttributeType>();
  private readonly classes = new Map<string, ObjectClass>();
  private readonly otherOids = new Map<string, string>();
  private readonly ruleNames = new Map<string, string>();
  /** Names not in the schema, given a type of their own so entries carrying them still serve. */
  private readonly unknownTypes = new Map<string, AttributeType>();

  constructor(readonly source: SchemaSource) {
    const definitions = source.attributeTypes.map(parseAttributeType);
    const byName = new Map<string, AttributeTypeDefinition>();
    for (const d of definitions) for (const n of [d.oid, ...d.names]) byName.set(n.toLowerCase(), d);
    const built = new Map<AttributeTypeDefinition, AttributeType & { subtypes: AttributeType[] }>();
    const build = (d: AttributeTypeDefinition): AttributeType & { subtypes: AttributeType[] } => {
      const done = built.get(d);
      if (done !== undefined) return done;
      const supDef = d.sup === undefined ? undefined : byName.get(d.sup.toLowerCase());
      const sup = supDef === undefined ? undefined : build(supDef);
      const equality = d.equality ?? sup?.equality;
      const substr = d.substr ?? sup?.substr;
      const ordering = d.ordering ?? sup?.ordering;
      const type = {
        oid: d.oid,
        name: d.names[0] ?? d.oid,
        names: d.names,
        sup,
        equality,
        substr,
        ordering,
        syntax: d.syntax ?? sup?.syntax,
        singleValue: d.singleValue,
        usage: d.usage,
        operational: d.usage !== "userApplications",
        known: true,
        normalizeEquality: equality === undefined ? undefined : equalityNormalizer(equality, this),
        normalizeSubstrings: substr === undefined ? undefined : substringsNormalizer(substr),
        compareOrdering: ordering === undefined ? undefined : orderingComparator(ordering),
        subtypes: [] as AttributeType[],
      };
      built.set(d, type);
      return type;
    };
    for (const d of definitions) {
      const type = build(d);
      for (const n of [d.oid, ...d.names]) this.types.set(n.toLowerCase(), type);
      // Register the type with itself and every supertype: a filter on a supertype tests it too.
      for (let t: AttributeType | undefined = type; t !== undefined; t = t.sup)
        (t.subtypes as AttributeType[]).push(type);
    }

    const classDefs = source.objectClasses.map(parseObjectClass);
    const classByName = new Map<string, ObjectClassDefinition>();
    for (const d of classDefs) for (const n of [d.oid, ...d.names]) classByName.set(n.toLowerCase(), d);
    const builtClasses = new Map<ObjectClassDefinition, ObjectClass>();
    const buildClass = (d: ObjectClassDefinition): ObjectClass => {
      const done = builtClasses.get(d);
      if (done !== undefined) return done;
      const sups = d.sup.flatMap((s) => {
        const sd = classByName.get(s.toLowerCase());
        return sd === undefined ? [] : [buildClass(sd)];
      });
      const lineage: ObjectClass[] = [];
      const resolve = (names: readonly string[]): AttributeType[] =>
        names.flatMap((n) => {
          const t = this.types.get(n.toLowerCase());
          return t === undefined ? [] : [t];
        });
      const cls: ObjectClass = {
        oid: d.oid,
        name: d.names[0] ?? d.oid,
        names: d.names,
        kind: d.kind,
        lineage,
        must: [...new Set([...resolve(d.must), ...sups.flatMap((s) => s.must)])],
        may: [...new Set([...resolve(d.may), ...sups.flatMap((s) => s.may)])],
      };
      lineage.push(cls, ...new Set(sups.flatMap((s) => s.lineage)));
      builtClasses.set(d, cls);
      return cls;
    };
    for (const d of classDefs) {
      const cls = buildClass(d);
      for (const n of [d.oid, ...d.names]) this.classes.set(n.toLowerCase(), cls);
    }

    for (const text of [...source.matchingRules, ...source.ldapSyntaxes]) {
      const m = /^\(\s*([\d.]+)(?:\s+NAME\s+'([^']+)')?/.exec(text);
      if (m?.[1] !== undefined && m[2] !== undefined) {
        this.otherOids.set(m[2].toLowerCase(), m[1]);
        this.ruleNames.set(m[1], m[2]);
        this.ruleNames.set(m[2].toLowerCase(), m[2]);
      }
    }
  }

  /**
   * The attribute type for a name or OID in any case, attribute options (`;binary`, `;lang-en`)
   * ignored; undefined if the schema does not define it.
   */
  attributeType(description: string): AttributeType | undefined {
    const semicolon = description.indexOf(";");
    const name = (semicolon < 0 ? description : description.slice(0, semicolon)).trim().toLowerCase();
    return this.types.get(name);
  }

  /**
   * Like attributeType, but a name the schema lacks gets a stand-in type with no matching rules
   * (used for attributes stored on entries, never for names in requests).
   */
  storedAttributeType(name: string): AttributeType {
    const known = this.attributeType(name);
    if (known !== undefined) return known;
    const key = name.toLowerCase();
    let unknown = this.unknownTypes.get(key);
    if (unknown === undefined) {
      const subtypes: AttributeType[] = [];
      unknown = {
        oid: key,
        name,
        names: [name],
        sup: undefined,
        equality: undefined,
        substr: undefined,
        ordering: undefined,
        syntax: undefined,
        singleValue: false,
        usage: "userApplications",
        operational: false,
        known: false,
        normalizeEquality: undefined,
        normalizeSubstrings: undefined,
        compareOrdering: undefined,
        subtypes,
      };
      subtypes.push(unknown);
      this.unknownTypes.set(key, unknown);
    }
    return unknown;
  }

  objectClass(nameOrOid: string): ObjectClass | undefined {
    return this.classes.get(nameOrOid.trim().toLowerCase());
  }

  /** objectIdentifierMatch: OIDs stand for themselves, descriptors resolve through the schema. */
  oidOf(nameOrOid: string): string | undefined {
    if (/^\d+(?:\.\d+)+$/.test(nameOrOid)) return nameOrOid;
    const key = nameOrOid.toLowerCase();
    return this.classes.get(key)?.oid ?? this.types.get(key)?.oid ?? this.otherOids.get(key);
  }

  /** The NAME of a matching rule given by name (any case) or OID. */
  matchingRuleName(nameOrOid: string): string | undefined {
    return this.ruleNames.get(nameOrOid.trim().toLowerCase());
  }

  normalizeDn(dn: string): string | undefined {
    return dnKeyOf(dn, this.avaRules);
  }

  readonly avaRules = {
    typeKey: (type: string): string => (this.attributeType(type)?.name ?? type).toLowerCase(),
    valueKey: (type: string, value: string): string => {
      const t = this.attributeType(type);
      // A type with no equality rule (or an unknown one) still needs a stable key: fold case and spaces.
      const normalize =
        t?.equality?.toLowerCase() === "distinguishednamematch" ? undefined : t?.normalizeEquality;
      return normalize?.(value) ?? value.replace(/\s+/g, " ").trim().toLowerCase();
    },
  };
}

/** The schema served by spine-sim's SDS: parsed once per process. */
export const sdsSchema = new Schema(schemaData);
