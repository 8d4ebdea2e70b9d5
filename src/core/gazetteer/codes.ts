/**
 * The gazetteer's own error codes (reference errors.md §6): class, text and severity. The texts are
 * Spine's, full stops included; the severities are the simulator's except GSS008 (attested).
 */
export type GazetteerSeverity = "Error" | "Warning";

export interface GazetteerCodeInfo {
  readonly class: "System" | "Business" | "Application";
  readonly description: string;
  readonly severity: GazetteerSeverity;
}

export const gazetteerCodes = {
  GSS001: { class: "System", description: "Service is not available", severity: "Error" },
  GSS002: { class: "System", description: "Invalid Address Data File.", severity: "Error" },
  GSS003: { class: "System", description: "Service startup error.", severity: "Error" },
  GSS004: { class: "System", description: "Failed to get reference of service locator.", severity: "Error" },
  GSS005: { class: "System", description: "Failed to lookup home of remote service.", severity: "Error" },
  GSS006: { class: "System", description: "Failed to get the remote service reference.", severity: "Error" },
  GSS007: { class: "System", description: "Failed to invoke address validation method.", severity: "Error" },
  GSS008: { class: "System", description: "Request time out occurred.", severity: "Warning" },
  GSS009: {
    class: "System",
    description: "Failed to get the reference of remote service.",
    severity: "Error",
  },
  GSB001: { class: "Business", description: "Search time out.", severity: "Error" },
  GSB002: { class: "Business", description: "Too Many Matches found.", severity: "Warning" },
  GSB003: { class: "Business", description: "Null values found in mandatory elements.", severity: "Error" },
  GSB004: {
    class: "Business",
    description: "Minimum number of address requested should at least be 1.",
    severity: "Error",
  },
  GSB005: { class: "Business", description: "Unable to validate non-UK address.", severity: "Error" },
  GSB006: { class: "Business", description: "Null value in GUID.", severity: "Error" },
  GSA000: { class: "Application", description: "Unknown Error", severity: "Error" },
  GSA001: { class: "Application", description: "Empty Search request found.", severity: "Error" },
  GSA002: { class: "Application", description: "Invalid Message Structure.", severity: "Error" },
  GSA003: { class: "Application", description: "Response Message Creation Failure.", severity: "Error" },
} as const satisfies Record<string, GazetteerCodeInfo>;

export type GazetteerCode = keyof typeof gazetteerCodes;

export const gazetteerCodeContext = "urn:nhs:names:errors:gazetteer";

export function isGazetteerCode(value: string): value is GazetteerCode {
  return Object.hasOwn(gazetteerCodes, value);
}
