/** The shipped address set, read straight from the CSV, so that tests compute expectations without the server's code. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const addressesCsv = fileURLToPath(
  new URL("../../seed-data/addresses/addresses.csv", import.meta.url),
);

export interface SeedAddress {
  readonly addressKey: string;
  readonly subBuilding: string;
  readonly buildingName: string;
  readonly buildingNumber: string;
  readonly thoroughfare: string;
  readonly dependentLocality: string;
  readonly postTown: string;
  readonly county: string;
  readonly postcode: string;
}

let cache: SeedAddress[] | undefined;

/** The generator writes no quoted fields, so a plain split is a faithful reading (checked). */
export function seedAddresses(): SeedAddress[] {
  if (cache !== undefined) return cache;
  const text = readFileSync(addressesCsv, "utf8");
  if (text.includes('"')) throw new Error("addresses.csv has quoted fields; read it with a CSV parser");
  const [header, ...lines] = text.trimEnd().split("\n");
  if (
    header !==
    "addressKey,subBuilding,buildingName,buildingNumber,thoroughfare,dependentLocality,postTown,county,postcode"
  ) {
    throw new Error(`unexpected header ${String(header)}`);
  }
  cache = lines.map((line) => {
    const [
      addressKey = "",
      subBuilding = "",
      buildingName = "",
      buildingNumber = "",
      thoroughfare = "",
      dependentLocality = "",
      postTown = "",
      county = "",
      postcode = "",
    ] = line.split(",");
    return {
      addressKey,
      subBuilding,
      buildingName,
      buildingNumber,
      thoroughfare,
      dependentLocality,
      postTown,
      county,
      postcode,
    };
  });
  return cache;
}
