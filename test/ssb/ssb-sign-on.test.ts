/**
 * The Spine Security Broker over the real HTTPS listener with a real client (undici trusting only
 * the simulator's CA): sign-on from authactivate to RoleAssertion, the SAML checked against SDS,
 * expiry on the virtual clock, logout, restart, and every documented error.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it, onTestFinished } from "vitest";
import type { DirectoryEntry } from "../../src/core/store/store.js";
import { httpsAgent } from "../support/http-client.js";
import { startTestSimulator, type TestSimulator } from "../support/start-test-simulator.js";
import { activateParams, gpObject, param, roleLines, send, signOn } from "./ssb-client.js";

const twoRoles = { uid: "999000000003", roleA: "999200000003", roleB: "999200000004" };
const inactiveUid = "999000000017";

async function start(
  flags: Record<string, unknown> = {},
): Promise<{ sim: TestSimulator; base: string; agent: ReturnType<typeof httpsAgent> }> {
  const sim = await startTestSimulator({ mtls: "off", ...flags });
  onTestFinished(() => sim.stop());
  const agent = httpsAgent({ caFile: sim.ready.caFile });
  onTestFinished(() => agent.close());
  return { sim, base: sim.ready.https.replace(/\/$/, ""), agent };
}

const saml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: false,
  isArray: (name) => name === "saml:Attribute" || name === "saml:AttributeValue",
});

interface Parsed {
  readonly status: string;
  readonly nested: string | undefined;
  readonly message: string | undefined;
  readonly attributes: { name: string; values: string[] }[];
  readonly ticketInAssertion: string | undefined;
  readonly root: Record<string, unknown>;
}

function parseSaml(text: string): Parsed {
  const doc = saml.parse(text) as Record<string, Record<string, unknown>>;
  const root = doc["samlp:Response"] ?? {};
  const status = (root["samlp:Status"] as Record<string, Record<string, unknown>>)["samlp:StatusCode"] ?? {};
  const assertion = root["saml:Assertion"] as Record<string, Record<string, unknown>> | undefined;
  const statement = assertion?.["saml:AttributeStatement"];
  const attributes = ((statement?.["saml:Attribute"] ?? []) as Record<string, unknown>[]).map((a) => ({
    name: String(a["@AttributeName"]),
    values: (a["saml:AttributeValue"] as unknown[]).map(String),
  }));
  const subject = statement?.["saml:Subject"] as
    | Record<
        string,
        Record<
          string,
          Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>
        >
      >
    | undefined;
  const inner =
    subject?.["saml:SubjectConfirmation"]?.["saml:SubjectConfirmationData"]?.["saml:Assertion"]?.[
      "saml:AuthenticationStatement"
    ]?.["saml:Subject"]?.["saml:SubjectConfirmation"];
  return {
    status: String(status["@Value"]),
    nested: (status["samlp:StatusCode"] as Record<string, unknown> | undefined)?.["@Value"] as
      string | undefined,
    message: (root["samlp:Status"] as Record<string, unknown>)["samlp:StatusMessage"] as string | undefined,
    attributes,
    ticketInAssertion: inner?.["saml:SubjectConfirmationData"] as string | undefined,
    root,
  };
}

const attr = (entry: DirectoryEntry | undefined, name: string): readonly string[] =>
  entry?.attributes[name] ?? [];

describe("Spine Security Broker sign-on", () => {
  it("signs a two-role user on from authactivate to a RoleAssertion whose attributes match SDS", async () => {
    const { sim, base, agent } = await start();
    const { activate, validate, ticket } = await signOn(agent, base, twoRoles.uid);

    expect(activate.status).toBe(200);
    expect(activate.text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE USER SYSTEM "https:\/\/[^"]+\/login\/dtd">/,
    );
    expect(param(activate.text, "challenge")).toMatch(/^[A-Za-z0-9/+=]{44}$/);
    expect(Buffer.from(param(activate.text, "challenge") ?? "", "base64")).toHaveLength(32);
    expect(param(activate.text, "reply_url")).toBe(`${base}/login/authvalidate`);

    expect(param(validate.text, "error")).toBeUndefined();
    expect(ticket).toMatch(/^AQIC5wM2LY4Sf[A-Za-z0-9+/]{32}@AAJTSQACMDE=#$/);
    expect(param(validate.text, "sso_logout_url")).toBe(`${base}/login/authlogout`);
    expect(param(validate.text, "sso_max_session_time")).toBe("600");
    expect(param(validate.text, "cn")).toBe("FISHER Jane");

    const directory = sim.directory();
    const roleEntry = (id: string) =>
      directory.find(
        (e) => e.objectClasses.includes("nhsOrgPersonRole") && attr(e, "uniqueIdentifier")[0] === id,
      );
    const orgName = attr(
      directory.find((e) => e.dn === "uniqueIdentifier=A20047,ou=Organisations,o=nhs"),
      "o",
    )[0];
    const lines = roleLines(validate.text);
    expect(lines.map((l) => l.id)).toEqual([twoRoles.roleA, twoRoles.roleB]);
    for (const line of lines) {
      expect(line.orgcode).toBe(attr(roleEntry(line.id), "nhsIDCode")[0]);
      expect(line.orgName).toBe(orgName);
      expect(`"${line.jobRole.join('":"')}"`).toBe(attr(roleEntry(line.id), "nhsJobRole")[0]);
    }

    const token = encodeURIComponent(ticket ?? "");
    const selected = await send(
      agent,
      `${base}/saml/RoleSelectionGP.jsp?token=${token}&selectedRoleUid=${twoRoles.roleB}&ssbMode=0&gacVersion=10&fallbackStatus=0`,
      "GET",
    );
    expect(selected.text).toBe("<HTML><STATUS>OK</STATUS></HTML>");

    const assertion = await send(agent, `${base}/saml/RoleAssertion?token=${token}`, "GET");
    expect(assertion.status).toBe(200);
    expect(assertion.contentType).toBe("text/xml; charset=utf-8");
    const parsed = parseSaml(assertion.text);
    expect(parsed.status).toBe("samlp:Success");
    expect(parsed.root["@ResponseID"]).toBe("null");
    expect(parsed.root["@InResponseTo"]).toBe("null");
    expect(parsed.ticketInAssertion).toBe(ticket);
    const one = (name: string) => parsed.attributes.filter((a) => a.name === name).map((a) => a.values);
    const person = directory.find((e) => e.dn === `uid=${twoRoles.uid},ou=People,o=nhs`);
    expect(one("ssbAssertionVersion")).toEqual([["1.1"]]);
    expect(one("uid")).toEqual([[twoRoles.uid]]);
    expect(one("cn")).toEqual([attr(person, "cn")]);
    expect(one("ssbSessionRoleUid")).toEqual([[twoRoles.roleB]]);
    // One job-role block per role profile, each starting at nhsIdCode (R1).
    const blocks: Record<string, string[]>[] = [];
    for (const a of parsed.attributes.slice(parsed.attributes.findIndex((x) => x.name === "nhsIdCode"))) {
      if (a.name === "nhsIdCode") blocks.push({});
      const block = blocks.at(-1);
      if (block !== undefined) block[a.name] = a.values;
    }
    expect(blocks).toHaveLength(2);
    for (const block of blocks) {
      const entry = roleEntry(block.uniqueIdentifier?.[0] ?? "");
      expect(entry).toBeDefined();
      expect(block.nhsIdCode).toEqual(attr(entry, "nhsIDCode"));
      expect(block.o).toEqual([orgName]);
      expect(block.nhsJobRole).toEqual(attr(entry, "nhsJobRole"));
      expect(block.nhsJobRoleCode).toEqual(attr(entry, "nhsJobRoleCode"));
      expect(block.nhsBusinessFunctionsCodes).toEqual(attr(entry, "nhsBusinessFunctionsCodes"));
    }

    const kinds = sim.journal.list({ limit: 100 }).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(["ssb.activate", "ssb.signed-on", "ssb.role-selected", "ssb.role-assertion"]),
    );
  });

  it("answers the naming service and reports a live session through the session service, then invalid after logout", async () => {
    const { base, agent } = await start();
    const { ticket = "" } = await signOn(agent, base, twoRoles.uid);
    const naming = await send(
      agent,
      `${base}/amserver/namingservice`,
      "POST",
      `<RequestSet vers="1.0" svcid="com.iplanet.am.naming" reqid="1"><Request><![CDATA[<NamingRequest vers="3.0" reqid="1" sessid="${ticket}"><GetNamingProfile/></NamingRequest>]]></Request></RequestSet>`,
    );
    expect(naming.text).toContain(
      `<Attribute name="iplanet-am-naming-session-url" value="${base}/amserver/sessionservice"/>`,
    );
    const getSession = `<RequestSet vers="1.0" svcid="session" reqid="2"><Request><![CDATA[<SessionRequest vers="1.0" reqid="2"><GetSession reset="true"><SessionID>${ticket}</SessionID></GetSession></SessionRequest>]]></Request></RequestSet>`;
    const valid = await send(agent, `${base}/amserver/sessionservice`, "POST", getSession);
    expect(valid.text).toContain('state="valid"');
    expect(valid.text).toContain(`cid="uid=${twoRoles.uid},ou=People,o=nhs"`);
    expect(valid.text).toContain(`<Property name="ssbSessionRoleUid" value="${twoRoles.roleA}"/>`);

    const logout = await send(
      agent,
      `${base}/login/authlogout`,
      "POST",
      gpObject({
        service: "LOGOUT",
        sso_ticket: ticket,
        log_session_id: "Ao9qufluA0",
        device_id: "ABCD1234",
        uid: twoRoles.uid,
      }),
    );
    expect(logout.text).toBe("<HTML><STATUS>OK</STATUS></HTML>");
    const invalid = await send(agent, `${base}/amserver/sessionservice`, "POST", getSession);
    expect(invalid.text).toContain('state="invalid"');
    const assertion = parseSaml(
      (await send(agent, `${base}/saml/RoleAssertion?token=${encodeURIComponent(ticket)}`, "GET")).text,
    );
    expect([assertion.status, assertion.nested, assertion.message]).toEqual([
      "samlp:Requester",
      "samlp:RequestDenied",
      "Invalid or expired token",
    ]);
    expect(assertion.root["saml:Assertion"]).toBeUndefined();
    // Logout is idempotent, also by GET with the ticket in the body (as NBU sends it).
    expect(
      (await send(agent, `${base}/login/authlogout`, "GET", gpObject({ sso_ticket: ticket }))).text,
    ).toBe("<HTML><STATUS>OK</STATUS></HTML>");
  });

  it("expires the session at sso_max_session_time on the virtual clock", async () => {
    const { sim, base, agent } = await start({ clock: "virtual" });
    const { ticket = "" } = await signOn(agent, base, twoRoles.uid);
    const url = `${base}/saml/RoleAssertion?token=${encodeURIComponent(ticket)}`;
    const advance = async (minutes: number): Promise<void> => {
      const response = await fetch(new URL("/_control/clock/advance", sim.ready.control), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ms: minutes * 60_000 }),
      });
      expect(response.status).toBe(200);
    };
    await advance(599);
    expect(parseSaml((await send(agent, url, "GET")).text).status).toBe("samlp:Success");
    await advance(1);
    const expired = parseSaml((await send(agent, url, "GET")).text);
    expect([expired.status, expired.nested, expired.message]).toEqual([
      "samlp:Requester",
      "samlp:RequestDenied",
      "Invalid or expired token",
    ]);
    expect(
      sim.journal
        .list({ limit: 100 })
        .some((e) => e.kind === "ssb.refused" && e.summary.includes("maximum time")),
    ).toBe(true);
  });

  it("keeps signed-on sessions across a restart (sessions are in SQLite)", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "spine-sim-ssb-")), "sim.db");
    const first = await startTestSimulator({ mtls: "off", db });
    const firstAgent = httpsAgent({ caFile: first.ready.caFile });
    let ticket = "";
    try {
      ticket = (await signOn(firstAgent, first.ready.https.replace(/\/$/, ""), twoRoles.uid)).ticket ?? "";
    } finally {
      await firstAgent.close();
      await first.stop();
    }
    const second = await start({ db });
    const parsed = parseSaml(
      (
        await send(
          second.agent,
          `${second.base}/saml/RoleAssertion?token=${encodeURIComponent(ticket)}`,
          "GET",
        )
      ).text,
    );
    expect(parsed.status).toBe("samlp:Success");
  });
});

describe("Spine Security Broker errors", () => {
  it("answers Failed To Validate for a forged signature, an unknown uid and an inactive person", async () => {
    const { base, agent } = await start();
    const activate = await send(
      agent,
      `${base}/login/authactivate`,
      "POST",
      gpObject(activateParams("Ao9qufluA0")),
    );
    const validate = (overrides: Record<string, string>) =>
      send(
        agent,
        `${base}/login/authvalidate`,
        "POST",
        gpObject({
          ...activateParams("Ao9qufluA0"),
          service: "AUTHENTICATION",
          challenge: param(activate.text, "challenge") ?? "",
          signature: param(activate.text, "signature") ?? "",
          uid: twoRoles.uid,
          ...overrides,
        }),
      );
    for (const overrides of [
      { signature: Buffer.alloc(32, 1).toString("base64") },
      { log_session_id: "OtherSess1" },
      { uid: "999999999999" },
      { uid: inactiveUid },
    ]) {
      const reply = await validate(overrides);
      expect(reply.status).toBe(200);
      expect(param(reply.text, "error")).toBe("Failed To Validate");
      expect(reply.text).not.toContain("sso_ticket");
      expect(param(reply.text, "error_url")).toBe(`${base}/login/error`);
    }
    expect(param((await validate({})).text, "sso_ticket")).toBeDefined();
  });

  it("answers Invalid input request for a body that is not a gpOBJECT, a missing parameter, an ENTITY and an oversized body", async () => {
    const { base, agent } = await start({ maxBodyBytes: 4096 });
    const cases = [
      "not xml at all",
      gpObject({ service: "ACTIVATION" }),
      `<!DOCTYPE x [<!ENTITY e "boom">]><gpOBJECT><gpPARAM name="log_session_id">&e;</gpPARAM></gpOBJECT>`,
      gpObject({ log_session_id: "x".repeat(5000) }),
    ];
    for (const body of cases) {
      const reply = await send(agent, `${base}/login/authactivate`, "POST", body);
      expect(reply.status).toBe(200);
      expect(param(reply.text, "error")).toBe("Invalid input request");
    }
    expect(
      (await send(agent, `${base}/login/authvalidate`, "POST", gpObject({ log_session_id: "a" }))).text,
    ).toContain("Invalid input request");
  });

  it("refuses RoleAssertion and role selection for an unknown ticket, and a role the user does not hold", async () => {
    const { base, agent } = await start();
    const bogus = encodeURIComponent("AQIC5wM2LY4SfAAAA@AAJTSQACMDE=#");
    const assertion = parseSaml((await send(agent, `${base}/saml/RoleAssertion?token=${bogus}`, "GET")).text);
    expect([assertion.status, assertion.nested]).toEqual(["samlp:Requester", "samlp:RequestDenied"]);
    const noToken = parseSaml((await send(agent, `${base}/saml/RoleAssertion`, "GET")).text);
    expect(noToken.nested).toBe("samlp:RequestDenied");

    const badTicketSelect = await send(
      agent,
      `${base}/saml/RoleSelectionGP.jsp?token=${bogus}&selectedRoleUid=${twoRoles.roleA}`,
      "GET",
    );
    expect(badTicketSelect.text).toMatch(/^<HTML><STATUS>FAILED<\/STATUS>/);
    expect(badTicketSelect.text).not.toContain("OK");

    const { ticket = "" } = await signOn(agent, base, twoRoles.uid);
    const wrongRole = await send(
      agent,
      `${base}/saml/RoleSelectionGP.jsp?token=${encodeURIComponent(ticket)}&selectedRoleUid=999200000001&ssbMode=0`,
      "GET",
    );
    expect(wrongRole.text).toMatch(
      /^<HTML><STATUS>FAILED<\/STATUS><MESSAGE>The selected role is not held by this user/,
    );
    expect(wrongRole.text).not.toContain("OK");
    // The refused selection changed nothing: the first role is still in force.
    const still = parseSaml(
      (await send(agent, `${base}/saml/RoleAssertion?token=${encodeURIComponent(ticket)}`, "GET")).text,
    );
    expect(still.attributes.find((a) => a.name === "ssbSessionRoleUid")?.values).toEqual([twoRoles.roleA]);
  });

  it("serves the role page with links to RoleSelectionGP.jsp and logs device ids", async () => {
    const { sim, base, agent } = await start();
    const { ticket = "" } = await signOn(agent, base, twoRoles.uid);
    const page = await send(
      agent,
      `${base}/saml/RoleSelectionWT.jsp?token=${encodeURIComponent(ticket)}`,
      "GET",
    );
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toContain(`selectedRoleUid=${twoRoles.roleB}`);
    const device = await send(
      agent,
      `${base}/ssb/DeviceIDLogger?ipaddress=10.0.0.1&latestdeviceid=ABCD1234&storeddeviceid=ABCD1234&token=${encodeURIComponent(ticket)}`,
      "GET",
    );
    expect(device.text).toBe("<HTML><STATUS>OK</STATUS></HTML>");
    expect(
      sim.journal
        .list({ limit: 100 })
        .some((e) => e.kind === "ssb.device-id" && e.summary.includes("10.0.0.1")),
    ).toBe(true);
    expect((await send(agent, `${base}/saml/RoleAssertion`, "POST", "x")).status).toBe(405);
  });
});
