import { describe, expect, it } from "vitest";
import { formatAddress } from "./format-address.js";

const base = { addressKey: 17671560, postTown: "Leeds", county: "West Yorkshire", postcode: "ls17 8db" };

describe("address lines in the response", () => {
  it("writes the published example as the sample does: one line, town in capitals, postcode without a space", () => {
    expect(formatAddress({ ...base, buildingNumber: "1", thoroughfare: "Sandringham Crescent" })).toEqual({
      address1: "1 Sandringham Crescent",
      address2: "",
      address3: "",
      town: "LEEDS",
      county: "West Yorkshire",
      postCode: "LS178DB",
      country: "UNITED KINGDOM",
      addressKey: 17671560,
    });
  });

  it("puts the premises on the first line, the street on the next and the locality after", () => {
    const flat = formatAddress({
      ...base,
      subBuilding: "Flat 3",
      buildingName: "Oak Court",
      buildingNumber: "12",
      thoroughfare: "High Street",
      dependentLocality: "Upper Thornley",
    });
    expect([flat.address1, flat.address2, flat.address3]).toEqual([
      "Flat 3, Oak Court",
      "12 High Street",
      "Upper Thornley",
    ]);
    const named = formatAddress({ ...base, buildingName: "Rose Cottage", thoroughfare: "Mill Lane" });
    expect([named.address1, named.address2, named.address3]).toEqual(["Rose Cottage", "Mill Lane", ""]);
  });

  it("reads a building name such as 12A as a number on the street line", () => {
    const lines = formatAddress({
      ...base,
      buildingName: "12A",
      thoroughfare: "Oak Road",
      dependentLocality: "Kirkdale",
    });
    expect([lines.address1, lines.address2]).toEqual(["12A Oak Road", "Kirkdale"]);
  });

  it("can return the postcode with its space, and keeps every line to 60 characters", () => {
    const lines = formatAddress(
      { ...base, buildingNumber: "1", thoroughfare: "A".repeat(80) },
      { spacedPostcode: true },
    );
    expect(lines.postCode).toBe("LS17 8DB");
    expect(lines.address1).toHaveLength(60);
  });
});
