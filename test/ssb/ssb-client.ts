/** A small GAS / sbapi client over real HTTPS (undici, trusting only the simulator's CA). */
import { request, type Agent } from "undici";

export interface Reply {
  readonly status: number;
  readonly text: string;
  readonly contentType: string;
}

/** A gpOBJECT request as the NHSbuntu identity agent writes it (ssb.md §2). */
export function gpObject(params: Readonly<Record<string, string>>): string {
  const lines = Object.entries(params).map(([name, value]) => `<gpPARAM name="${name}">${value}</gpPARAM>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE USER SYSTEM "gpOBJECT.DTD">',
    "<gpOBJECT>",
    ...lines,
    "</gpOBJECT>",
  ].join("\n");
}

export async function send(agent: Agent, url: string, method: "GET" | "POST", body?: string): Promise<Reply> {
  const response = await request(url, {
    dispatcher: agent,
    method,
    headers: { "user-agent": "Mozilla/4.0(compatible;IE;GACv10. 0. 0. 1)" },
    ...(body === undefined ? {} : { body }),
  });
  return {
    status: response.statusCode,
    text: await response.body.text(),
    contentType: String(response.headers["content-type"] ?? ""),
  };
}

/** The NBU client's own extraction: `name">value<`. */
export function param(text: string, name: string): string | undefined {
  return new RegExp(`name="${name}">([^<]*)<`).exec(text)?.[1];
}

export interface RoleLine {
  readonly id: string;
  readonly orgcode: string;
  readonly orgName: string;
  readonly jobRole: readonly string[];
}

/** NBU `_parse_validate_response`: the role regex, split at the first comma, then at `:`. */
export function roleLines(text: string): RoleLine[] {
  return [
    ...text.matchAll(/<gpPARAM name="nhsjobrole\d+" id="([^"]+)" orgcode="([^"]+)">([^<]+)<\/gpPARAM>/g),
  ].map((m) => {
    const value = m[3] ?? "";
    const comma = value.indexOf(",");
    return {
      id: m[1] ?? "",
      orgcode: m[2] ?? "",
      orgName: value.slice(0, comma),
      jobRole: value
        .slice(comma + 1)
        .trim()
        .split(":")
        .map((part) => part.replace(/"/g, "")),
    };
  });
}

export const activateParams = (logSessionId: string): Record<string, string> => ({
  auth_method: "3",
  app_url: "NHST",
  log_session_id: logSessionId,
  device_id: "ABCD1234,ClientIP=127.0.0.1",
  service: "ACTIVATION",
});

export async function signOn(
  agent: Agent,
  base: string,
  uid: string,
): Promise<{ activate: Reply; validate: Reply; ticket: string | undefined }> {
  const logSessionId = "Ao9qufluA0";
  const activate = await send(
    agent,
    `${base}/login/authactivate`,
    "POST",
    gpObject(activateParams(logSessionId)),
  );
  const validate = await send(
    agent,
    `${base}/login/authvalidate`,
    "POST",
    gpObject({
      ...activateParams(logSessionId),
      service: "AUTHENTICATION",
      challenge: param(activate.text, "challenge") ?? "",
      signature: param(activate.text, "signature") ?? "",
      uid,
      card_type: "p11",
      response: Buffer.from("MIME-Version: 1.0\n\nsigned").toString("base64"),
      mobility: "0",
    }),
  );
  return { activate, validate, ticket: param(validate.text, "sso_ticket") };
}
