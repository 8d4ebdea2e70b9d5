/**
 * The address finder app in-process (plain HTTP on port 0, no PKI): the codes that only a script, a
 * time budget or an internal failure can raise, through the same routes the HTTPS listener serves.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { Agent } from "undici";
import { describe, expect, it, onTestFinished } from "vitest";
import { environments } from "../../src/config/environments.js";
import { loadConfig } from "../../src/config/load-config.js";
import { realClock } from "../../src/core/clock.js";
import { gazetteerCodes, type GazetteerCode } from "../../src/core/gazetteer/codes.js";
import { Journal } from "../../src/core/journal/journal.js";
import { openSqliteStore } from "../../src/core/store/sqlite-store.js";
import type { Store } from "../../src/core/store/store.js";
import { gazetteerRoutes } from "../../src/servers/gazetteer/gazetteer-routes.js";
import type { GazetteerOptions } from "../../src/servers/gazetteer/gazetteer-handler.js";
import { createHttpApp } from "../../src/servers/http/http-app.js";
import type { ServerDeps } from "../../src/servers/server-deps.js";
import { addressListRequest, post, readResponse } from "./soap-client.js";

function openStore(): Store {
  const store = openSqliteStore(":memory:");
  store.replaceScenario(
    {
      name: "app",
      fingerprint: "app",
      directory: [],
      patients: [],
      smartcards: [],
      addresses: [
        {
          addressKey: 17671560,
          buildingNumber: "1",
          thoroughfare: "Sandringham Crescent",
          postTown: "LEEDS",
          county: "West Yorkshire",
          postcode: "LS17 8DB",
        },
        {
          addressKey: 17671561,
          buildingNumber: "2",
          thoroughfare: "Sandringham Crescent",
          postTown: "LEEDS",
          county: "West Yorkshire",
          postcode: "LS17 8DB",
        },
      ],
    },
    new Date().toISOString(),
  );
  return store;
}

async function startApp(
  options: GazetteerOptions,
  store: Store = openStore(),
): Promise<{ url: string; agent: Agent; journal: Journal }> {
  const config = loadConfig({ env: {}, flags: { db: ":memory:", logLevel: "silent" } });
  const journal = new Journal(store, realClock);
  const deps: ServerDeps = {
    config,
    env: environments.int,
    store,
    journal,
    clock: realClock,
    logger: pino({ level: "silent" }),
    version: "test",
    health: () => ({ ready: true, listeners: {} }),
  };
  const server = createServer(createHttpApp(deps, [gazetteerRoutes(deps, options)]));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const agent = new Agent();
  onTestFinished(async () => {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
    store.close();
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/addressfinder/query`,
    agent,
    journal,
  };
}

const scripted: GazetteerCode[] = [
  "GSS001",
  "GSS003",
  "GSS004",
  "GSS005",
  "GSS006",
  "GSS008",
  "GSS009",
  "GSA003",
];

describe("the address finder app, in-process", () => {
  it.each(scripted)("answers a scripted %s with its text and severity", async (code) => {
    const { url, agent } = await startApp({
      script: (request) => (request.town === "SCRIPT" ? code : undefined),
    });
    const response = readResponse(
      (await post(url, addressListRequest({ postcode: "LS17 8DB", town: "SCRIPT" }), agent)).text,
    );
    expect(response.errors).toEqual([
      {
        codeContext: "urn:nhs:names:errors:gazetteer",
        code,
        severity: gazetteerCodes[code].severity,
        description: gazetteerCodes[code].description,
        location: undefined,
      },
    ]);
    expect(response.hasAddressList).toBe(false);
    const unscripted = readResponse(
      (await post(url, addressListRequest({ postcode: "LS17 8DB" }), agent)).text,
    );
    expect(unscripted.totalmatches).toBe(2);
  });

  it("gives GSS008 the Warning severity of the published example", () => {
    expect(gazetteerCodes.GSS008.severity).toBe("Warning");
    expect(gazetteerCodes.GSB002.severity).toBe("Warning");
    const others = Object.entries(gazetteerCodes).filter(([code]) => code !== "GSS008" && code !== "GSB002");
    expect(others.every(([, info]) => info.severity === "Error")).toBe(true);
    expect(Object.keys(gazetteerCodes)).toHaveLength(19);
  });

  it("answers GSB001 when the search overruns its time budget", async () => {
    let clock = 0;
    const { url, agent } = await startApp({ search: { budgetMs: 5, now: () => (clock += 10) } });
    const response = readResponse(
      (await post(url, addressListRequest({ postcode: "LS17 8DB" }), agent)).text,
    );
    expect(response.errors.map((e) => [e.code, e.description])).toEqual([["GSB001", "Search time out."]]);
  });

  it("answers GSS007 when the address store fails during the search, and keeps serving", async () => {
    const store = openStore();
    const addresses = store.addresses;
    let broken = true;
    const failing = new Proxy(addresses, {
      get(target, property, receiver) {
        if (property === "byPostcode" && broken)
          return () => {
            throw new Error("disk I/O error");
          };
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const { url, agent, journal } = await startApp(
      {},
      new Proxy(store, {
        get: (target, p, r) => (p === "addresses" ? failing : (Reflect.get(target, p, r) as unknown)),
      }),
    );
    const response = readResponse(
      (await post(url, addressListRequest({ postcode: "LS17 8DB" }), agent)).text,
    );
    expect(response.errors.map((e) => [e.code, e.description])).toEqual([
      ["GSS007", "Failed to invoke address validation method."],
    ]);
    expect(journal.list().at(-1)?.summary).toContain("disk I/O error");
    broken = false;
    expect(
      readResponse((await post(url, addressListRequest({ postcode: "LS17 8DB" }), agent)).text).totalmatches,
    ).toBe(2);
  });

  it("answers GSA000 for an unforeseen failure outside the search", async () => {
    const { url, agent } = await startApp({
      script: () => {
        throw new Error("script exploded");
      },
    });
    const reply = await post(url, addressListRequest({ postcode: "LS17 8DB" }), agent);
    expect(reply.status).toBe(200);
    expect(readResponse(reply.text).errors.map((e) => [e.code, e.description])).toEqual([
      ["GSA000", "Unknown Error"],
    ]);
  });

  it("can return postcodes with their space", async () => {
    const { url, agent } = await startApp({ spacedPostcode: true });
    const response = readResponse(
      (await post(url, addressListRequest({ address1: "1", postcode: "LS178DB" }), agent)).text,
    );
    expect(response.addresses.map((a) => a.postCode)).toEqual(["LS17 8DB"]);
  });
});
