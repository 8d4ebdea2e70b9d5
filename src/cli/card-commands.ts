/**
 * `spine-sim card insert` and `spine-sim card list`: the offline stand-in for a smartcard reader.
 * Against a running simulator, `insert` signs a person on through the control API (exactly as
 * authactivate + authvalidate would) and prints the SSO ticket and the role list; `list` prints who
 * can sign on. For training and for CI runs that have no smartcard.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { SimError } from "../core/errors.js";

interface ControlTarget {
  readonly url: string;
  readonly token: string | undefined;
}

interface PersonView {
  readonly uid: string;
  readonly cn: string;
  readonly active: boolean;
  readonly roles: readonly { roleProfileId: string; odsCode: string; orgName: string; jobRole: string }[];
}

function targetFrom(options: Record<string, unknown>): ControlTarget {
  const token =
    typeof options.controlToken === "string" ? options.controlToken : process.env.SPINE_SIM_CONTROL_TOKEN;
  if (typeof options.readyFile === "string") {
    let ready: { control?: unknown };
    try {
      ready = JSON.parse(readFileSync(options.readyFile, "utf8")) as { control?: unknown };
    } catch (error) {
      throw new SimError(
        "CONFIG_INVALID",
        `Cannot read the ready file ${options.readyFile}: ${(error as Error).message}`,
        {
          hint: "Give the file written by `spine-sim start --ready-file FILE` while the simulator runs, or use --control URL.",
          details: { setting: "readyFile", value: options.readyFile },
        },
      );
    }
    if (typeof ready.control === "string") return { url: ready.control, token };
  }
  const url =
    typeof options.control === "string"
      ? options.control
      : (process.env.SPINE_SIM_CONTROL_URL ?? "http://127.0.0.1:8080");
  return { url: url.replace(/\/+$/, ""), token };
}

async function call(
  target: ControlTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  let response: globalThis.Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(target.token === undefined ? {} : { authorization: `Bearer ${target.token}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new SimError(
      "NOT_FOUND",
      `No spine-sim control API answers at ${target.url}: ${(error as Error).message}`,
      {
        hint: "Start the simulator (`spine-sim start`), then pass --control http://127.0.0.1:PORT or --ready-file FILE.",
        details: { setting: "control", value: target.url },
      },
    );
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

function fail(status: number, json: unknown): never {
  const problem = (typeof json === "object" && json !== null ? json : {}) as {
    title?: unknown;
    detail?: unknown;
  };
  throw new SimError(
    status === 404 ? "NOT_FOUND" : "CONFIG_INVALID",
    `The simulator refused (HTTP ${status}): ${String(problem.title ?? json)}`,
    {
      ...(typeof problem.detail === "string" ? { hint: problem.detail } : {}),
    },
  );
}

function printPerson(person: PersonView, selected?: string | null): void {
  process.stdout.write(
    `${person.cn} (uid ${person.uid})${person.active ? "" : " INACTIVE: cannot sign on"}\n`,
  );
  for (const role of person.roles) {
    const mark = role.roleProfileId === selected ? "*" : " ";
    process.stdout.write(
      `  ${mark} ${role.roleProfileId}  ${role.odsCode}  ${role.orgName}, ${role.jobRole}\n`,
    );
  }
}

function withTarget(command: Command): Command {
  return command
    .option(
      "--control <URL>",
      "the running simulator's control API [env SPINE_SIM_CONTROL_URL] (default http://127.0.0.1:8080)",
    )
    .option("--ready-file <FILE>", "read the control URL from the simulator's ready file instead")
    .option(
      "--control-token <TOKEN>",
      "the control API token, if the simulator has one [env SPINE_SIM_CONTROL_TOKEN]",
    )
    .option("--json", "print the control API's JSON answer");
}

export function registerCardCommands(program: Command): void {
  const card = program
    .command("card")
    .description("virtual smartcards: sign a person on without a card reader");

  withTarget(
    card
      .command("insert")
      .description(
        "insert a virtual smartcard into a running simulator: prints the SSO ticket and the role list",
      )
      .option("--card <CARDID>", "the card id (seed-data/people.json smartcard.cardId)")
      .option("--uid <UID>", "sign on by SDS user id instead of a card id")
      .option("--passcode <PASSCODE>", "check the card's passcode (with --card)")
      .option("--role <ROLE_PROFILE_ID>", "select this role profile (RoleSelectionGP.jsp) after sign-on")
      .option("--training", "select the role in training mode (ssbMode 1)"),
  ).action(async (options: Record<string, unknown>) => {
    if ((options.card === undefined) === (options.uid === undefined)) {
      throw new SimError("CONFIG_INVALID", "card insert needs exactly one of --card CARDID or --uid UID", {
        hint: "List who can sign on with `spine-sim card list`; card ids are in seed-data/people.json.",
        details: { setting: "card" },
      });
    }
    const target = targetFrom(options);
    const body = {
      ...(typeof options.uid === "string" ? { uid: options.uid } : {}),
      ...(typeof options.passcode === "string" ? { passcode: options.passcode } : {}),
      ...(typeof options.role === "string" ? { role: options.role } : {}),
      ...(options.training === true ? { ssbMode: "1" } : {}),
    };
    const path =
      typeof options.card === "string"
        ? `/_control/ssb/cards/${encodeURIComponent(options.card)}/insert`
        : "/_control/ssb/cards/insert";
    const { status, json } = await call(target, "POST", path, body);
    if (status !== 201) fail(status, json);
    if (options.json === true) {
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return;
    }
    const signedOn = json as PersonView & { ticket: string; expiresAt: string; selectedRole: string | null };
    process.stdout.write(`sso_ticket: ${signedOn.ticket}\n`);
    process.stdout.write(`token (URL-encoded): ${encodeURIComponent(signedOn.ticket)}\n`);
    process.stdout.write(`expires at the latest: ${signedOn.expiresAt} (simulator clock)\n`);
    printPerson(signedOn, signedOn.selectedRole);
    if (signedOn.selectedRole === null && signedOn.roles.length > 1)
      process.stdout.write(
        "no role selected yet: pass --role ROLE_PROFILE_ID, or call /saml/RoleSelectionGP.jsp\n",
      );
  });

  withTarget(
    card
      .command("list")
      .description(
        "list the people of the running simulator's SDS who can be signed on, with their role profiles",
      ),
  ).action(async (options: Record<string, unknown>) => {
    const { status, json } = await call(targetFrom(options), "GET", "/_control/ssb/people");
    if (status !== 200) fail(status, json);
    if (options.json === true) {
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return;
    }
    for (const person of json as PersonView[]) printPerson(person);
  });
}
