/**
 * Turns a stored delivery point into the response's address lines (gazetteer.md §3, G15): premises
 * line, street line and locality, each at most 60 characters; town and country in capitals; the
 * postcode in capitals without a space unless asked otherwise.
 */
import type { AddressRecord } from "../store/address-store.js";
import { compact } from "./postcode.js";

export interface AddressLines {
  readonly address1: string;
  readonly address2: string;
  readonly address3: string;
  readonly town: string;
  readonly county: string;
  readonly postCode: string;
  readonly country: string;
  readonly addressKey: number;
}

export interface FormatOptions {
  /** `LS17 8DB` instead of the sample's `LS178DB`. */
  readonly spacedPostcode?: boolean;
}

const lineLength = 60;
const numberLike = /^\d+[A-Z]?$/i;

export function formatAddress(address: AddressRecord, options: FormatOptions = {}): AddressLines {
  // A building "name" such as 12A reads as a number: it belongs on the street line (PAF rule).
  const nameIsNumber =
    address.buildingName !== undefined &&
    numberLike.test(address.buildingName) &&
    address.buildingNumber === undefined;
  const premises = [address.subBuilding, nameIsNumber ? undefined : address.buildingName]
    .filter(present)
    .join(", ");
  const street = [
    address.buildingNumber ?? (nameIsNumber ? address.buildingName : undefined),
    address.thoroughfare,
  ]
    .filter(present)
    .join(" ");
  const lines = [premises, street, address.dependentLocality ?? ""]
    .filter((line) => line !== "")
    .map((line) => line.slice(0, lineLength));
  return {
    address1: lines[0] ?? "",
    address2: lines[1] ?? "",
    address3: lines[2] ?? "",
    town: address.postTown.toUpperCase().slice(0, lineLength),
    county: (address.county ?? "").slice(0, lineLength),
    postCode: options.spacedPostcode === true ? address.postcode.toUpperCase() : compact(address.postcode),
    country: "UNITED KINGDOM",
    addressKey: address.addressKey,
  };
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}
