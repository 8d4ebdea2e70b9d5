/** What `spine-sim start` prints when every listener is ready. */
import type { ReadyInfo } from "../simulator.js";

export function formatBanner(info: ReadyInfo): string {
  const lines = [
    "",
    `spine-sim is ready: ${info.environment.toUpperCase()} environment, scenario "${info.scenario}"`,
    "",
    `  Spine services (HTTPS)  ${info.https}   (SDS endpoints advertise ${info.publicUrl})`,
    `  SDS directory (LDAP)    ${info.ldap}`,
    `  SDS directory (LDAPS)   ${info.ldaps}`,
    `  Control API + console   ${info.control}   (health: ${info.control}/_health)`,
    "",
    `  Trust this CA file:     ${info.caFile}`,
    `  Mutual TLS:             ${info.mtls ? "on: present an endpoint certificate below" : "off"}`,
  ];
  for (const endpoint of info.endpoints) {
    lines.push(
      "",
      `  Supplier endpoint ${endpoint.odsCode}: party key ${endpoint.partyKey}, ASID ${endpoint.asid}`,
      `    replies are delivered to ${endpoint.url}`,
      `    certificate ${endpoint.certFile}`,
      `    key         ${endpoint.keyFile}`,
    );
  }
  lines.push("", "Press Ctrl+C to stop.", "");
  return lines.join("\n");
}
