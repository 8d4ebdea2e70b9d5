/**
 * An SDS entry prepared once per directory version for searching: attribute names resolved to
 * schema types, values normalised by each type's equality rule, its place in the tree.
 */
import type { AttributeType } from "./sds-schema.js";

/** An attribute as a search returns it: canonical name, values as stored. */
export interface ResultAttribute {
  readonly name: string;
  readonly values: readonly string[];
}

export interface IndexedAttribute {
  readonly type: AttributeType;
  readonly values: readonly string[];
  /** Normal forms under the type's equality rule; for objectClass, the OIDs of every class and superclass. */
  readonly equalityKeys: ReadonlySet<string>;
  /** Values under the type's substrings rule, when it has one. */
  readonly substringValues: readonly string[] | undefined;
  /**
   * The attribute as returned, with and without values (typesOnly). Built once and shared by every
   * search, so a listener can cache its encoding per object.
   */
  readonly result: ResultAttribute;
  readonly typeOnly: ResultAttribute;
}

export interface IndexedEntry {
  readonly dn: string;
  /** Normalised DN (dn.ts): equal for every spelling of the same name. */
  readonly key: string;
  /** Position in the directory's entry list (tree order); -1 for the root DSE and cn=Subschema. */
  readonly position: number;
  /** User attributes in stored order, then the operational attributes the directory computes. */
  readonly attributes: readonly IndexedAttribute[];
  readonly byOid: ReadonlyMap<string, IndexedAttribute>;
  /** The AVAs of the entry's own RDN, for extensible matches with :dn. */
  readonly rdn: readonly { readonly type: string; readonly value: string }[];
}
