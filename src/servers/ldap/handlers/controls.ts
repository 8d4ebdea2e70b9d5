/**
 * Request controls (RFC 4511 §4.1.11): a control the directory does not support is ignored unless
 * the client marked it critical, in which case the operation is refused.
 */
import { supportedControls } from "../../../core/directory/root-dse.js";
import type { Control } from "../ldap-codec.js";
import { LdapError } from "../ldap-errors.js";

export function refuseUnsupportedCriticalControls(
  controls: readonly Control[],
  supported: readonly string[] = supportedControls,
): void {
  const unsupported = controls.find((c) => c.critical && !supported.includes(c.oid));
  if (unsupported !== undefined) {
    throw new LdapError(
      "unavailableCriticalExtension",
      `critical control ${unsupported.oid} is not supported; the SDS simulator supports ${supportedControls.join(", ")}`,
    );
  }
}
