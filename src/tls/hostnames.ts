import { isIP } from "node:net";

export type SubjectName =
  { readonly kind: "dns"; readonly name: string } | { readonly kind: "ip"; readonly address: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A host name or IP literal as it goes into a SAN, lower-cased and without a trailing dot; undefined when
 * it is neither (the check also keeps names usable as file names: no "/", no "..").
 */
export function parseSubjectName(
  value: string,
  options: { allowWildcard?: boolean } = {},
): SubjectName | undefined {
  const trimmed = value.trim().toLowerCase().replace(/\.$/, "");
  if (isIP(trimmed) !== 0) return { kind: "ip", address: trimmed };
  if (trimmed.length === 0 || trimmed.length > 253) return undefined;
  const labels = trimmed.split(".");
  const valid = labels.every(
    (label, index) => LABEL.test(label) || (options.allowWildcard === true && index === 0 && label === "*"),
  );
  return valid && !(labels.length === 1 && labels[0] === "*") ? { kind: "dns", name: trimmed } : undefined;
}

/** Splits parsed names into SAN dNSName and iPAddress lists, keeping first occurrences only. */
export function partitionNames(names: readonly SubjectName[]): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = new Set<string>();
  const ipAddresses = new Set<string>();
  for (const name of names) {
    if (name.kind === "dns") dnsNames.add(name.name);
    else ipAddresses.add(name.address);
  }
  return { dnsNames: [...dnsNames], ipAddresses: [...ipAddresses] };
}
