/**
 * The NHS MHS adaptor's own LDAP library: Debian's python3-ldap3 reads cn=Subschema on connect
 * (get_info=ALL) and, with check_names on, refuses to search for any attribute the schema lacks.
 * This runs the adaptor's route look-up (F1, F2) exactly that way, over LDAP and over LDAPS with
 * the endpoint certificate and TLS 1.2, as `sds_connection_factory.py` connects.
 */
import { execFile } from "node:child_process";
import { describe, expect, it, onTestFinished } from "vitest";
import { startTestSimulator } from "../support/start-test-simulator.js";

const python = "/usr/bin/python3";

const script = String.raw`
import json, ssl, sys
from ldap3 import Server, Connection, ALL, Tls
ready = json.loads(sys.argv[1])
endpoint = ready["endpoints"][0]
f2_attributes = ["nhsEPInteractionType", "nhsIDCode", "nhsMhsCPAId", "nhsMHSEndPoint", "nhsMhsFQDN", "nhsMHsIN",
    "nhsMHSIsAuthenticated", "nhsMHSPartyKey", "nhsMHsSN", "nhsMhsSvcIA", "nhsProductKey", "uniqueIdentifier",
    "nhsMHSAckRequested", "nhsMHSActor", "nhsMHSDuplicateElimination", "nhsMHSPersistDuration", "nhsMHSRetries",
    "nhsMHSRetryInterval", "nhsMHSSyncReplyMode"]
svc_ia = "urn:nhs:names:services:psis:MCCI_IN010000UK13"
out = {}
for name, url in (("ldap", ready["ldap"]), ("ldaps", ready["ldaps"])):
    host, port = url.split("://")[1].rsplit(":", 1)
    tls = None
    if name == "ldaps":
        tls = Tls(ca_certs_file=ready["caFile"], local_certificate_file=endpoint["certFile"],
                  local_private_key_file=endpoint["keyFile"], validate=ssl.CERT_REQUIRED, version=ssl.PROTOCOL_TLSv1_2)
    server = Server(host, port=int(port), use_ssl=(name == "ldaps"), tls=tls, get_info=ALL)
    conn = Connection(server, auto_bind=True, check_names=True)
    conn.search("ou=services,o=nhs", "(&(nhsIDCode=A20047) (objectClass=nhsAs) (nhsAsSvcIA=" + svc_ia + "))",
                attributes=["nhsMHSPartyKey", "uniqueIdentifier"])
    f1 = [json.loads(e.entry_to_json()) for e in conn.entries]
    party_key = conn.entries[0]["nhsMHSPartyKey"].value
    conn.search("ou=services,o=nhs", "(&(objectClass=nhsMhs) (nhsMHSPartyKey=" + party_key + ") (nhsMhsSvcIA=" + svc_ia + "))",
                attributes=f2_attributes)
    f2 = [json.loads(e.entry_to_json()) for e in conn.entries]
    out[name] = {
        "f1": f1,
        "f2": f2,
        "schemaAttributeTypes": len(server.schema.attribute_types),
        "partyKeyEquality": server.schema.attribute_types["nhsMHSPartyKey"].equality,
        "pagedResults": "1.2.840.113556.1.4.319" in [c[0] for c in server.info.supported_controls],
    }
    conn.unbind()
print(json.dumps(out))
`;

function runPython(ready: unknown): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(python, ["-c", script, JSON.stringify(ready)], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr });
    });
  });
}

describe("python3-ldap3 with schema checking", () => {
  it("reads cn=Subschema and runs the MHS adaptor's route look-up over LDAP and LDAPS", async () => {
    const probe = await new Promise<string>((resolve) => {
      execFile(python, ["-c", "import ldap3"], (error) => {
        resolve(error === null ? "" : error.message);
      });
    });
    if (probe !== "")
      throw new Error(
        `${python} cannot import ldap3; install it with: apt-get install -y python3-ldap3\n${probe}`,
      );

    const sim = await startTestSimulator({ mtls: "on" });
    onTestFinished(() => sim.stop());
    const result = await runPython(sim.ready);
    expect(result.stderr).toBe("");
    const out = JSON.parse(result.stdout) as Record<
      string,
      {
        f1: { dn: string; attributes: Record<string, string[]> }[];
        f2: { dn: string; attributes: Record<string, string[]> }[];
        schemaAttributeTypes: number;
        partyKeyEquality: string[];
        pagedResults: boolean;
      }
    >;
    for (const transport of ["ldap", "ldaps"]) {
      const run = out[transport];
      expect(run?.schemaAttributeTypes, transport).toBeGreaterThan(200);
      expect(run?.partyKeyEquality).toEqual(["caseIgnoreMatch"]);
      expect(run?.pagedResults).toBe(true);
      expect(run?.f1).toEqual([
        {
          dn: "uniqueIdentifier=918999198993,ou=Services,o=nhs",
          attributes: { nhsMHSPartyKey: ["A20047-9198993"], uniqueIdentifier: ["918999198993"] },
        },
      ]);
      expect(run?.f2[0]?.attributes).toMatchObject({
        nhsMhsCPAId: ["S91899919899302"],
        nhsMHSEndPoint: ["https://localhost:9443/reliablemessaging/inbound"],
        nhsMHSSyncReplyMode: ["MSHSignalsOnly"],
        nhsMHSRetries: ["2"],
      });
    }
  });
});
