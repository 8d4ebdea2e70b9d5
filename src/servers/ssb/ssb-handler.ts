/**
 * The SSB's handlers (ssb.md §3–6): each takes what the route read from the request and returns
 * the reply and the journal event; none touches the response. Refusals are SsbErrors from the core,
 * mapped here to each endpoint's documented wire shape (errors.md §7).
 */
import type { SsbService } from "../../core/ssb/ssb-service.js";
import { roleAssertionAttributes } from "../../core/ssb/role-assertion.js";
import { isSsbError, SsbError } from "../../core/ssb/ssb-errors.js";
import type { Clock } from "../../core/clock.js";
import { htmlFailed, htmlOk, writeGpError, writeGpObject, type GpParam } from "./gp-object.js";
import { escapeXml, findElement, pllText, readPll, writePll } from "./pll.js";
import { buildRoleAssertion, buildRoleAssertionDenied, samlContentType } from "./saml.js";

export interface WireReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface SsbOutcome {
  readonly reply: WireReply;
  /** Journal kind, `ssb.…`. */
  readonly kind: string;
  readonly summary: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly refused: boolean;
}

/** What every handler knows about the request. */
export interface SsbCall {
  /** `https://host[:port]` the client used (or --public-url): GAS and sbapi URLs in answers. */
  readonly base: string;
  readonly clientIp: string;
  readonly serverIp: string;
}

const xml = (body: string): WireReply => ({ status: 200, contentType: "text/xml", body });
const html = (body: string): WireReply => ({ status: 200, contentType: "text/html", body });

const gasVersion = "5.2.7";

export function createSsbHandlers(ssb: SsbService, clock: Clock) {
  const refusedGas = (
    call: SsbCall,
    endpoint: string,
    logSessionId: string,
    error: SsbError,
  ): SsbOutcome => ({
    reply: xml(writeGpError(call.base, error.wire, logSessionId)),
    kind: "ssb.refused",
    summary: `${endpoint} refused with "${error.wire}": ${error.reason}`,
    detail: { endpoint, code: error.code, reason: error.reason, hint: error.hint, logSessionId },
    refused: true,
  });
  const guard = (fn: () => SsbOutcome, onError: (error: SsbError) => SsbOutcome): SsbOutcome => {
    try {
      return fn();
    } catch (error) {
      if (isSsbError(error)) return onError(error);
      throw error;
    }
  };
  const required = (params: ReadonlyMap<string, string>, names: readonly string[]): void => {
    const missing = names.filter((n) => (params.get(n) ?? "") === "");
    if (missing.length > 0)
      throw new SsbError(
        "SSB_INVALID_INPUT",
        `missing gpPARAM ${missing.join(", ")}`,
        `Send every parameter of the request (ssb.md §3): missing ${missing.join(", ")}.`,
      );
  };

  return {
    invalidGas(call: SsbCall, endpoint: string, reason: string): SsbOutcome {
      return refusedGas(
        call,
        endpoint,
        "",
        new SsbError(
          "SSB_INVALID_INPUT",
          reason,
          "POST a gpOBJECT XML body with gpPARAM children (ssb.md §2).",
        ),
      );
    },

    activate(call: SsbCall, params: ReadonlyMap<string, string>): SsbOutcome {
      const logSessionId = params.get("log_session_id") ?? "";
      return guard(
        () => {
          required(params, ["log_session_id"]);
          const { challenge, signature } = ssb.activate(logSessionId);
          const reply: GpParam[] = [
            ["gas_version", gasVersion],
            ["signature", signature],
            ["server_ip", call.serverIp],
            ["ssp_url", ""],
            ["app_url", params.get("app_url") ?? "NHST"],
            ["log_session_id", logSessionId],
            ["service", "ACTIVATION"],
            ["error_url", `${call.base}/login/error`],
            ["ticket", ""],
            ["auth_method", params.get("auth_method") ?? "3"],
            ["reply_url", `${call.base}/login/authvalidate`],
            ["challenge", challenge],
            ["download_gac_url", "http://www.gemauth.com/authclient"],
            ["latest_gac_version", "3.9.1"],
          ];
          return {
            reply: xml(writeGpObject(call.base, reply)),
            kind: "ssb.activate",
            summary: `authactivate issued a challenge for log_session_id ${logSessionId}`,
            detail: { logSessionId, deviceId: params.get("device_id") },
            refused: false,
          };
        },
        (error) => refusedGas(call, "authactivate", logSessionId, error),
      );
    },

    validate(call: SsbCall, params: ReadonlyMap<string, string>): SsbOutcome {
      const logSessionId = params.get("log_session_id") ?? "";
      return guard(
        () => {
          required(params, ["log_session_id", "challenge", "signature", "uid"]);
          const signOn = ssb.validate({
            challenge: params.get("challenge") ?? "",
            signature: params.get("signature") ?? "",
            logSessionId,
            uid: params.get("uid") ?? "",
            deviceId: params.get("device_id") ?? "",
            clientIp: call.clientIp,
          });
          const roles: GpParam[] = signOn.person.roles.map((role, i) => [
            `nhsjobrole${i}`,
            `${role.orgName}, ${role.jobRole}`,
            [
              ["id", role.roleProfileId],
              ["orgcode", role.odsCode],
            ],
          ]);
          const reply: GpParam[] = [
            ["log_session_id", logSessionId],
            ["error_url", `${call.base}/login/error`],
            ["server_ip", call.serverIp],
            ["cn", signOn.person.cn],
            ...roles,
            ["gas_version", gasVersion],
            ["sso_ticket", signOn.ticket],
            ["sso_domain", `.${new URL(call.base).hostname}`],
            ["sso_session_url", `${call.base}/amserver/sessionservice`],
            ["sso_max_session_time", String(ssb.maxSessionMinutes)],
            ["sso_keep_alive", "false"],
            ["sso_session_time", String(ssb.idleMinutes)],
            ["sso_logout_url", `${call.base}/login/authlogout`],
            ["auth_method", params.get("auth_method") ?? "3"],
            ["app_url", params.get("app_url") ?? "NHST"],
            ["service", "AUTHENTICATION"],
          ];
          return {
            reply: xml(writeGpObject(call.base, reply)),
            kind: "ssb.signed-on",
            summary: `${signOn.person.cn} (uid ${signOn.person.uid}) signed on with ${signOn.person.roles.length} role(s)`,
            detail: {
              uid: signOn.person.uid,
              logSessionId,
              roles: signOn.person.roles.map((r) => r.roleProfileId),
            },
            refused: false,
          };
        },
        (error) => refusedGas(call, "authvalidate", logSessionId, error),
      );
    },

    logout(ticket: string, uid: string): SsbOutcome {
      const ended = ssb.logout(ticket);
      return {
        reply: html(htmlOk),
        kind: "ssb.logout",
        summary: ended
          ? `uid ${uid || "?"} logged out; the ticket is no longer valid`
          : "authlogout for a ticket with no live session (answered OK, idempotent)",
        detail: { ended, uid },
        refused: false,
      };
    },

    selectRole(token: string, roleUid: string, ssbMode: string): SsbOutcome {
      return guard(
        () => {
          const live = ssb.selectRole(token, roleUid, ssbMode);
          return {
            reply: html(htmlOk),
            kind: "ssb.role-selected",
            summary: `uid ${live.person.uid} selected role profile ${roleUid} (ssbMode ${live.session.ssbMode})`,
            detail: { uid: live.person.uid, roleUid, ssbMode: live.session.ssbMode },
            refused: false,
          };
        },
        (error) => ({
          reply: html(htmlFailed(`${error.wire}. ${error.hint}`)),
          kind: "ssb.refused",
          summary: `RoleSelectionGP.jsp refused: ${error.reason}`,
          detail: { endpoint: "RoleSelectionGP.jsp", code: error.code, reason: error.reason, roleUid },
          refused: true,
        }),
      );
    },

    roleSelectionPage(call: SsbCall, token: string): SsbOutcome {
      return guard(
        () => {
          const live = ssb.use(token);
          const link = (roleUid: string): string =>
            `${call.base}/saml/RoleSelectionGP.jsp?token=${encodeURIComponent(token)}&selectedRoleUid=${encodeURIComponent(roleUid)}&ssbMode=0&fallbackStatus=0`;
          const items = live.person.roles
            .map(
              (r) =>
                `<li><a href="${escapeXml(link(r.roleProfileId))}">${escapeXml(`${r.orgName} (${r.odsCode}): ${r.jobRole}`)}</a>${r.roleProfileId === live.role?.roleProfileId ? " (selected)" : ""}</li>`,
            )
            .join("\n");
          const page = `<!DOCTYPE html>\n<html><head><title>Select a role</title></head><body>\n<h1>${escapeXml(live.person.cn)}: select a role</h1>\n<ul>\n${items}\n</ul>\n</body></html>\n`;
          return {
            reply: html(page),
            kind: "ssb.role-page",
            summary: `RoleSelectionWT.jsp listed ${live.person.roles.length} role(s) for uid ${live.person.uid}`,
            detail: { uid: live.person.uid },
            refused: false,
          };
        },
        (error) => ({
          reply: html(htmlFailed(`${error.wire}. ${error.hint}`)),
          kind: "ssb.refused",
          summary: `RoleSelectionWT.jsp refused: ${error.reason}`,
          detail: { endpoint: "RoleSelectionWT.jsp", code: error.code, reason: error.reason },
          refused: true,
        }),
      );
    },

    roleAssertion(call: SsbCall, token: string): SsbOutcome {
      const now = clock.now();
      return guard(
        () => {
          const live = ssb.use(token);
          const body = buildRoleAssertion({
            issuer: call.base,
            recipient: call.clientIp,
            now,
            authenticatedAt: new Date(live.session.createdAt),
            ticket: token,
            uid: live.person.uid,
            attributes: roleAssertionAttributes(live),
          });
          return {
            reply: { status: 200, contentType: samlContentType, body },
            kind: "ssb.role-assertion",
            summary: `RoleAssertion for uid ${live.person.uid}, role ${live.role?.roleProfileId ?? "(none)"}`,
            detail: { uid: live.person.uid, roleUid: live.role?.roleProfileId },
            refused: false,
          };
        },
        (error) => ({
          reply: {
            status: 200,
            contentType: samlContentType,
            body: buildRoleAssertionDenied({ recipient: call.clientIp, now, message: error.wire }),
          },
          kind: "ssb.refused",
          summary: `RoleAssertion refused (samlp:RequestDenied): ${error.reason}`,
          detail: { endpoint: "RoleAssertion", code: error.code, reason: error.reason, hint: error.hint },
          refused: true,
        }),
      );
    },

    deviceId(query: Readonly<Record<string, string>>): SsbOutcome {
      return {
        reply: html(htmlOk),
        kind: "ssb.device-id",
        summary: `DeviceIDLogger: ip ${query.ipaddress ?? "?"}, latest ${query.latestdeviceid ?? "?"}, stored ${query.storeddeviceid ?? "?"}`,
        detail: {
          ipaddress: query.ipaddress,
          latestdeviceid: query.latestdeviceid,
          storeddeviceid: query.storeddeviceid,
        },
        refused: false,
      };
    },

    /** /amserver/namingservice and /amserver/sessionservice (ssb.md §6). */
    pll(call: SsbCall, service: "naming" | "session", text: string): SsbOutcome {
      const read = readPll(text);
      if (!read.ok)
        return {
          reply: {
            status: 400,
            contentType: "text/plain",
            body: `Not a PLL RequestSet: ${read.reason}. POST <RequestSet vers="1.0" svcid="…" reqid="1"><Request><![CDATA[…]]></Request></RequestSet> (ssb.md §6).\n`,
          },
          kind: "ssb.refused",
          summary: `${service}service refused: ${read.reason}`,
          detail: { endpoint: `${service}service`, reason: read.reason },
          refused: true,
        };
      const answers: string[] = [];
      const states: string[] = [];
      for (const request of read.set.requests) {
        if (service === "naming") {
          const naming = findElement(request, "NamingRequest") ?? {};
          const attributes = [
            ["iplanet-am-naming-session-url", `${call.base}/amserver/sessionservice`],
            ["iplanet-am-naming-naming-url", `${call.base}/amserver/namingservice`],
            ["iplanet-am-naming-samlassertionmanager-url", `${call.base}/saml/RoleAssertion`],
          ]
            .map(([n, v]) => `<Attribute name="${n ?? ""}" value="${escapeXml(v ?? "")}"/>`)
            .join("");
          answers.push(
            `<NamingResponse vers="1.0" reqid="${escapeXml(pllText(naming["@reqid"]))}"><GetNamingProfile>${attributes}</GetNamingProfile></NamingResponse>`,
          );
          states.push("naming");
          continue;
        }
        const sessionRequest = findElement(request, "SessionRequest") ?? {};
        const get = findElement(sessionRequest, "GetSession");
        const sid = pllText(get?.SessionID).trim();
        const reqid = escapeXml(pllText(sessionRequest["@reqid"]));
        try {
          const live = get?.["@reset"] === "true" ? ssb.use(sid) : ssb.inspect(sid);
          const properties = [
            ["ssbSessionRoleUid", live.role?.roleProfileId ?? ""],
            ["uid", live.person.uid],
            ["ssbMode", live.session.ssbMode],
          ]
            .map(([n, v]) => `<Property name="${n ?? ""}" value="${escapeXml(v ?? "")}"/>`)
            .join("");
          answers.push(
            `<SessionResponse vers="1.0" reqid="${reqid}"><GetSession><Session sid="${escapeXml(sid)}" stype="user" cid="uid=${escapeXml(live.person.uid)},ou=People,o=nhs" cdomain="o=nhs" maxtime="${ssb.maxSessionMinutes}" maxidle="${live.session.idleMinutes}" maxcaching="3" timeidle="${live.secondsIdle}" timeleft="${live.secondsLeft}" state="valid">${properties}</Session></GetSession></SessionResponse>`,
          );
          states.push("valid");
        } catch (error) {
          if (!isSsbError(error)) throw error;
          answers.push(
            `<SessionResponse vers="1.0" reqid="${reqid}"><GetSession><Session sid="${escapeXml(sid)}" state="invalid"/></GetSession></SessionResponse>`,
          );
          states.push(`invalid (${error.reason})`);
        }
      }
      return {
        reply: xml(writePll(read.set.svcid, read.set.reqid, answers)),
        kind: `ssb.${service}`,
        summary: `${service}service answered ${states.length} request(s): ${states.join(", ")}`,
        detail: { states },
        refused: false,
      };
    },
  };
}

export type SsbHandlers = ReturnType<typeof createSsbHandlers>;
