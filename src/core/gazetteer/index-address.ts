/**
 * The search keys of one delivery point, worked out once when addresses are loaded so that no
 * request has to normalise stored text.
 */
import type { AddressRecord } from "../store/address-store.js";
import { numbersOf, wordsOf } from "./normalise.js";
import { compact } from "./postcode.js";

export interface AddressKeys {
  /** `LS178DB` */
  readonly compactPostcode: string;
  readonly outcode: string;
  readonly incode: string;
  /** Words of every field but the building number, premises numbers left out. */
  readonly words: readonly string[];
  /** Premises numbers of the sub-building, building name and building number. */
  readonly numbers: readonly string[];
  /** Words of the post town and dependent locality. */
  readonly townWords: readonly string[];
}

export function addressKeys(address: AddressRecord): AddressKeys {
  return createAddressIndexer()(address);
}

/**
 * An indexer for one load. Field values repeat across thousands of delivery points (towns, counties,
 * a street's name), so each distinct value is tokenised once.
 */
export function createAddressIndexer(): (address: AddressRecord) => AddressKeys {
  const cache = new Map<string, { words: readonly string[]; numbers: readonly string[] }>();
  const field = (text: string | undefined): { words: readonly string[]; numbers: readonly string[] } => {
    if (text === undefined) return none;
    let tokens = cache.get(text);
    if (tokens === undefined) {
      tokens = { words: wordsOf(text), numbers: numbersOf(text) };
      cache.set(text, tokens);
    }
    return tokens;
  };
  return (a) => {
    const compactPostcode = compact(a.postcode);
    const sub = field(a.subBuilding);
    const name = field(a.buildingName);
    const town = field(a.postTown);
    const locality = field(a.dependentLocality);
    return {
      compactPostcode,
      outcode: compactPostcode.slice(0, -3),
      incode: compactPostcode.slice(-3),
      words: union(
        sub.words,
        name.words,
        field(a.thoroughfare).words,
        locality.words,
        town.words,
        field(a.county).words,
      ),
      numbers: union(sub.numbers, name.numbers, field(a.buildingNumber).numbers),
      townWords: union(town.words, locality.words),
    };
  };
}

const none = { words: [], numbers: [] } as const;

function union(...lists: (readonly string[])[]): string[] {
  const result: string[] = [];
  for (const list of lists) for (const item of list) if (!result.includes(item)) result.push(item);
  return result;
}
