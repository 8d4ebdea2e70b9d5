#!/usr/bin/env node
// MHS messaging throughput, against the built simulator (dist/), in one run:
//
//   sync       /sync-service PDS retrieval requests (~5 KB of SOAP + WS-Addressing + HL7) with
//              autocannon, 20 keep-alive connections, mutual TLS: requests per second, p50, p99.
//              Every request is read, parsed, routed through SDS, checked for a duplicate HL7 id,
//              answered from the scenario's patients, remembered and journalled (twice).
//   bare       the same requests, same client, same TLS (mutual), to a bare express handler in its
//              own process that only parses the body with fast-xml-parser and answers "<ok/>".
//              ratio = sync / bare (the goal is ≥ 1.0: Spine semantics for the price of a parse).
//   reliable   reliable round trips per second: POST /reliablemessaging/reliablerequest → 202 +
//              eb:Acknowledgment → the MCCI reply delivered over mutual TLS to a supplier endpoint in
//              this process → the supplier's eb:Acknowledgment. C round trips in flight at a time;
//              the simulator runs with its reply delay at 0 (default 500 ms) so the figure measures
//              the machinery, not the deliberate wait.
//
// Both servers run in child processes of this script (the simulator through dist/index.js with a
// SQLite file database, as `npm start` uses), so autocannon and the servers do not share a thread.
// Usage: node bench/mhs-bench.mjs [--seconds S] [--connections N] [--in-flight C]
// (defaults 10, 20, 20; needs `npm run build` first). MHS_BENCH_PROFILE=1 writes V8 CPU profiles of
// both servers to $TMPDIR/mhs-bench-prof.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { finishMachineInfo, machineInfo, writeResults } from "./lib/results.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const distIndex = join(root, "dist", "index.js");
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "20" },
    "in-flight": { type: "string", default: "20" },
    "serve-sim": { type: "string" },
    "serve-bare": { type: "string" },
    runs: { type: "string" },
  },
  strict: false,
});

// ---------------------------------------------------------------------------------------------
// Child modes

if (values["serve-sim"] !== undefined) {
  const dir = values["serve-sim"];
  const { createSimulator, loadConfig } = await import(pathToFileURL(distIndex).href);
  const config = loadConfig({
    env: {},
    flags: {
      db: join(dir, "spine-sim.db"),
      dataDir: dir,
      certsDir: join(dir, "certs"),
      httpsPort: 0,
      ldapPort: 0,
      ldapsPort: 0,
      controlPort: 0,
      logLevel: "warn",
    },
  });
  const sim = createSimulator(config, { mhsReplyDelayMs: 0 });
  const ready = await sim.start();
  process.send?.({ ready });
  process.on("message", (message) => {
    if (message === "stop") void sim.stop().then(() => process.exit(0));
  });
} else if (values["serve-bare"] !== undefined) {
  const tls = JSON.parse(values["serve-bare"]);
  const { default: express } = await import("express");
  const { XMLParser } = await import("fast-xml-parser");
  const parser = new XMLParser();
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.post("/sync-service", express.raw({ type: () => true, limit: 5_242_880 }), (req, res) => {
    parser.parse(req.body.toString("utf8"));
    res.status(200).type("text/xml").send("<ok/>");
  });
  const server = createServer(
    {
      cert: readFileSync(tls.cert),
      key: readFileSync(tls.key),
      ca: readFileSync(tls.ca),
      requestCert: true,
      rejectUnauthorized: true,
    },
    app,
  );
  server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
  process.on("message", (message) => {
    if (message === "stop") server.close(() => process.exit(0));
  });
} else {
  await orchestrate();
}

// ---------------------------------------------------------------------------------------------
// The run

async function orchestrate() {
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const inFlight = Number(values["in-flight"]);
  if (![seconds, connections, inFlight].every((n) => Number.isFinite(n) && n > 0)) {
    throw new Error("--seconds, --connections and --in-flight take positive numbers");
  }
  if (!existsSync(distIndex)) {
    console.error(`mhs-bench: ${distIndex} is missing; run \`npm run build\` first.`);
    process.exit(1);
  }
  const { default: autocannon } = await import("autocannon");
  const { Agent, request } = await import("undici");
  const machine = machineInfo({ node: true, memory: false, tidyCpu: true, loadAsText: true });

  const dir = mkdtempSync(join(tmpdir(), "spine-sim-mhs-bench-"));
  const children = [];
  const child = (args) => {
    const profile =
      process.env.MHS_BENCH_PROFILE === "1"
        ? ["--cpu-prof", "--cpu-prof-dir", join(tmpdir(), "mhs-bench-prof")]
        : [];
    const proc = spawn(process.execPath, [...profile, fileURLToPath(import.meta.url), ...args], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    children.push(proc);
    return new Promise((resolve, reject) => {
      proc.once("message", resolve);
      proc.once("exit", (code) => reject(new Error(`child ${args[0]} exited with ${code}`)));
    });
  };
  const stopChildren = async () => {
    await Promise.all(
      children.map(
        (proc) =>
          new Promise((resolve) => {
            if (proc.exitCode !== null) return resolve();
            proc.once("exit", resolve);
            proc.send("stop");
            setTimeout(() => proc.kill("SIGKILL"), 5000).unref();
          }),
      ),
    );
  };

  try {
    const { ready } = await child(["--serve-sim", dir]);
    const ca = readFileSync(ready.caFile);

    // A supplier endpoint on port 0: it receives the reliable replies and acknowledges them.
    const waiting = new Map();
    const supplier = createServer({ requestCert: true, rejectUnauthorized: true, ca }, (req, res) => {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const field = (name) => new RegExp(`<eb:${name}>([^<]*)</eb:${name}>`).exec(text)?.[1] ?? "";
        const messageId = field("MessageId");
        const ref = field("RefToMessageId");
        const now = new Date().toISOString().slice(0, 19) + "Z";
        const ack =
          `<?xml version="1.0" encoding="UTF-8"?><SOAP:Envelope xmlns:SOAP="http://schemas.xmlsoap.org/soap/envelope/" xmlns:eb="http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd"><SOAP:Header>` +
          `<eb:MessageHeader SOAP:mustUnderstand="1" eb:version="2.0"><eb:From><eb:PartyId eb:type="urn:nhs:names:partyType:ocs+serviceInstance">${partyKey}</eb:PartyId></eb:From><eb:To><eb:PartyId eb:type="urn:nhs:names:partyType:ocs+serviceInstance">YES-0000806</eb:PartyId></eb:To>` +
          `<eb:CPAId>${field("CPAId")}</eb:CPAId><eb:ConversationId>${field("ConversationId")}</eb:ConversationId><eb:Service>urn:oasis:names:tc:ebxml-msg:service</eb:Service><eb:Action>Acknowledgment</eb:Action>` +
          `<eb:MessageData><eb:MessageId>${randomUUID().toUpperCase()}</eb:MessageId><eb:Timestamp>${now}</eb:Timestamp><eb:RefToMessageId>${messageId}</eb:RefToMessageId></eb:MessageData></eb:MessageHeader>` +
          `<eb:Acknowledgment SOAP:mustUnderstand="1" eb:version="2.0" SOAP:actor="urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH"><eb:Timestamp>${now}</eb:Timestamp><eb:RefToMessageId>${messageId}</eb:RefToMessageId></eb:Acknowledgment>` +
          `</SOAP:Header><SOAP:Body/></SOAP:Envelope>`;
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(ack, () => waiting.get(ref)?.());
      });
    });
    await new Promise((resolve) => supplier.listen(0, "127.0.0.1", resolve));
    const supplierUrl = `https://127.0.0.1:${supplier.address().port}/reliablemessaging/inbound`;
    const registration = await (
      await request(`${ready.control}/_control/endpoints`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          odsCode: "Z99900",
          url: supplierUrl,
          interactions: [
            "urn:nhs:names:services:psis:REPC_IN150016UK05",
            "urn:nhs:names:services:pdsquery:QUPA_IN040000UK32",
          ],
        }),
      })
    ).body.json();
    const partyKey = registration.partyKey;
    const cert = readFileSync(registration.certFile);
    const key = readFileSync(registration.keyFile);
    supplier.setSecureContext({ cert, key, ca });

    // The bare handler presents the same kind of certificate (the endpoint's, SAN 127.0.0.1).
    const { port: barePort } = await child([
      "--serve-bare",
      JSON.stringify({ cert: registration.certFile, key: registration.keyFile, ca: ready.caFile }),
    ]);

    // ---- sync vs bare ------------------------------------------------------------------------
    const template = syncRequestTemplate(registration.asid);
    const bytes = Buffer.byteLength(
      template.replaceAll("{{ID}}", randomUUID()).replaceAll("{{HL7}}", randomUUID()),
    );
    const cannon = (url, servername, duration) =>
      autocannon({
        url,
        connections,
        duration,
        ...(servername === undefined ? {} : { servername }),
        tlsOptions: { ca, cert, key },
        requests: [
          {
            method: "POST",
            path: "/sync-service",
            headers: {
              "content-type": "text/xml",
              soapaction: "urn:nhs:names:services:pdsquery/QUPA_IN040000UK32",
            },
            setupRequest: (req) => ({
              ...req,
              body: template
                .replace("{{ID}}", randomUUID().toUpperCase())
                .replace("{{HL7}}", randomUUID().toUpperCase()),
            }),
          },
        ],
      });
    const simUrl = ready.https;
    const bareUrl = `https://127.0.0.1:${barePort}`;
    // Warm both (JIT, connection set-up), then measure each for the same time, back to back.
    await cannon(bareUrl, undefined, 2);
    await cannon(simUrl, "localhost", 2);
    const bare = await cannon(bareUrl, undefined, seconds);
    const sync = await cannon(simUrl, "localhost", seconds);
    const summary = (r) => ({
      requestsPerSecond: Math.round(r.requests.average),
      totalRequests: r.requests.total,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      errors: r.errors,
      non2xx: r.non2xx,
      timeouts: r.timeouts,
    });

    // ---- reliable round trips ------------------------------------------------------------------
    const agent = new Agent({ connect: { ca, cert, key, servername: "localhost" }, connections: inFlight });
    const reliableLatencies = [];
    let failures = 0;
    const roundTrip = async () => {
      const messageId = randomUUID().toUpperCase();
      const started = performance.now();
      const delivered = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no reply within 15 s")), 15_000);
        waiting.set(messageId, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const { body, contentType } = reliableRequest(partyKey, registration.asid, messageId);
      const response = await request(`${ready.https}/reliablemessaging/reliablerequest`, {
        dispatcher: agent,
        method: "POST",
        headers: { "content-type": contentType, soapaction: "urn:nhs:names:services:psis/REPC_IN150016UK05" },
        body,
      });
      await response.body.dump();
      if (response.statusCode !== 202) throw new Error(`reliable request answered ${response.statusCode}`);
      await delivered;
      waiting.delete(messageId);
      reliableLatencies.push(performance.now() - started);
    };
    const runRoundTrips = async (durationMs) => {
      const deadline = performance.now() + durationMs;
      const started = performance.now();
      let completed = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (performance.now() < deadline) {
            try {
              await roundTrip();
              completed++;
            } catch (error) {
              failures++;
              if (failures <= 3) console.error(`round trip failed: ${error.message}`);
            }
          }
        }),
      );
      return { completed, elapsedMs: performance.now() - started };
    };
    await runRoundTrips(2000);
    reliableLatencies.length = 0;
    failures = 0;
    const reliableRun = await runRoundTrips(seconds * 1000);
    await agent.close();
    supplier.close();
    supplier.closeAllConnections();
    finishMachineInfo(machine);

    const sorted = [...reliableLatencies].sort((a, b) => a - b);
    const pct = (p) =>
      Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2));
    const result = {
      date: new Date().toISOString(),
      machine,
      settings: {
        seconds,
        connections,
        inFlight,
        requestBytes: bytes,
        replyDelayMs: 0,
        mtls: true,
        db: "sqlite file (WAL)",
      },
      sync: summary(sync),
      bare: summary(bare),
      ratio: Number((sync.requests.average / bare.requests.average).toFixed(3)),
      reliable: {
        roundTripsPerSecond: Math.round((reliableRun.completed / reliableRun.elapsedMs) * 1000),
        completed: reliableRun.completed,
        failures,
        p50Ms: pct(50),
        p99Ms: pct(99),
      },
    };
    report(result);
  } finally {
    await stopChildren();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(result) {
  const { sync, bare, reliable, settings, machine } = result;
  const rows = [
    [
      "sync (/sync-service, spine-sim)",
      String(sync.requestsPerSecond),
      String(sync.p50Ms),
      String(sync.p99Ms),
      String(sync.non2xx + sync.errors),
    ],
    [
      "bare (express + fast-xml-parser)",
      String(bare.requestsPerSecond),
      String(bare.p50Ms),
      String(bare.p99Ms),
      String(bare.non2xx + bare.errors),
    ],
    [
      "reliable round trips",
      String(reliable.roundTripsPerSecond),
      String(reliable.p50Ms),
      String(reliable.p99Ms),
      String(reliable.failures),
    ],
  ];
  const header = ["run", "per second", "p50 ms", "p99 ms", "errors"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length), 3));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  const table = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
  const ratioLine = `ratio sync / bare = ${result.ratio.toFixed(2)}× (goal ≥ 1.0×)`;
  console.log(
    `\nmhs, node ${machine.node}, ${machine.cores} cores (${machine.cpu}), load average ${machine.loadAverage.before} -> ${machine.loadAverage.after}\n`,
  );
  console.log(table);
  console.log(`\n${ratioLine}`);

  writeResults(
    "mhs",
    result,
    [
      "## MHS messaging",
      "",
      `Written by \`bench/mhs-bench.mjs\` on ${result.date.slice(0, 10)}: node ${machine.node}, ${machine.cores} cores (${machine.cpu}), ` +
        `${machine.platform}, load average ${machine.loadAverage.before} before and ${machine.loadAverage.after} after. ` +
        `autocannon, ${settings.connections} keep-alive connections with mutual TLS, ${settings.seconds} s per run, ` +
        `${settings.requestBytes}-byte PDS retrieval requests with fresh ids; the simulator from \`dist/\` with a SQLite file ` +
        `database; the bare handler in its own process. Reliable: ${settings.inFlight} round trips in flight, reply delay 0. Raw figures: \`mhs.json\`.`,
      "",
      table,
      "",
      ratioLine,
      "",
      "- `sync`: read, parse (SOAP, WS-Addressing, HL7), SDS route, duplicate HL7 id check, PDS responder, response, remember, journal",
      "- `bare`: express.raw + one `XMLParser.parse` + `<ok/>`",
      "- `reliable`: request → 202 + eb:Acknowledgment → MCCI delivered over mutual TLS → supplier eb:Acknowledgment",
    ].join("\n"),
  );
}

// ---------------------------------------------------------------------------------------------
// Messages

/** A PDS retrieval request of about 5 KB, shaped like the MHS adaptor's, with id placeholders. */
function syncRequestTemplate(senderAsid) {
  const device = (asid) =>
    `<device classCode="DEV" determinerCode="INSTANCE">\n\t\t\t\t\t\t<id root="1.2.826.0.1285.0.2.0.107" extension="${asid}"/>\n\t\t\t\t\t</device>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:hl7="urn:hl7-org:v3">
	<SOAP-ENV:Header>
		<wsa:MessageID>uuid:{{ID}}</wsa:MessageID>
		<wsa:Action>urn:nhs:names:services:pdsquery/QUPA_IN040000UK32</wsa:Action>
		<wsa:To>urn:nhs:names:services:pdsquery</wsa:To>
		<wsa:From>
			<wsa:Address/>
		</wsa:From>
		<hl7:communicationFunctionRcv>
			<hl7:device>
				<hl7:id root="1.2.826.0.1285.0.2.0.107" extension="928942012545"/>
			</hl7:device>
		</hl7:communicationFunctionRcv>
		<hl7:communicationFunctionSnd>
			<hl7:device>
				<hl7:id root="1.2.826.0.1285.0.2.0.107" extension="${senderAsid}"/>
			</hl7:device>
		</hl7:communicationFunctionSnd>
		<wsa:ReplyTo>
			<wsa:Address/>
		</wsa:ReplyTo>
	</SOAP-ENV:Header>
	<SOAP-ENV:Body>
		<QUPA_IN040000UK32 xmlns="urn:hl7-org:v3">
			<id root="{{HL7}}"/>
			<creationTime value="20240314130512"/>
			<versionCode code="V3NPfIT3.0"/>
			<interactionId root="2.16.840.1.113883.2.1.3.2.4.12" extension="QUPA_IN040000UK32"/>
			<processingCode code="P"/>
			<processingModeCode code="T"/>
			<acceptAckCode code="NE"/>
			<communicationFunctionRcv typeCode="RCV">
				${device("928942012545")}
			</communicationFunctionRcv>
			<communicationFunctionSnd typeCode="SND">
				${device(senderAsid)}
			</communicationFunctionSnd>
			<ControlActEvent classCode="CACT" moodCode="EVN">
				<author typeCode="AUT">
					<AgentPersonSDS classCode="AGNT">
						<id root="1.2.826.0.1285.0.2.0.67" extension="999200000001"/>
						<agentPersonSDS classCode="PSN" determinerCode="INSTANCE">
							<id root="1.2.826.0.1285.0.2.0.65" extension="999000000001"/>
						</agentPersonSDS>
						<part typeCode="PART">
							<partSDSRole classCode="ROL">
								<id root="1.2.826.0.1285.0.2.1.104" extension="S8000:G8000:R8000"/>
							</partSDSRole>
						</part>
					</AgentPersonSDS>
				</author>
				<author1 typeCode="AUT">
					<AgentSystemSDS classCode="AGNT">
						<agentSystemSDS classCode="DEV" determinerCode="INSTANCE">
							<id root="1.2.826.0.1285.0.2.0.107" extension="${senderAsid}"/>
						</agentSystemSDS>
					</AgentSystemSDS>
				</author1>
				<query>
					<historicDataIndicator>
						<value code="0" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.36"/>
						<semanticsText>historicDataIndicator</semanticsText>
					</historicDataIndicator>
					<person.id>
						<value root="2.16.840.1.113883.2.1.4.1" extension="9000000009"/>
						<semanticsText>person.id</semanticsText>
					</person.id>
					<retrievalItem>
						<semanticsText>person.allData</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.name</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.address</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.telecom</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.gender</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.birthTime</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.gp</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.nominatedPharmacy</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.dispensingDoctor</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.medicalApplianceSupplier</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.deathDate</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.confidentiality</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.languageCommunication</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.previousNhsContact</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.birthPlace</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.sharedCareArrangement</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.childProtection</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.callCentreCallback</semanticsText>
					</retrievalItem>
					<retrievalItem>
						<semanticsText>person.serialChangeNumber</semanticsText>
					</retrievalItem>
				</query>
			</ControlActEvent>
		</QUPA_IN040000UK32>
	</SOAP-ENV:Body>
</SOAP-ENV:Envelope>
`;
}

/** A REPC_IN150016UK05 reliable request (PSIS GP summary upload) from the registered supplier. */
function reliableRequest(partyKey, asid, messageId) {
  const hl7Id = randomUUID().toUpperCase();
  const now = new Date().toISOString().slice(0, 19) + "Z";
  const envelope = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP:Envelope xmlns:SOAP="http://schemas.xmlsoap.org/soap/envelope/" xmlns:eb="http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd" xmlns:hl7ebxml="urn:hl7-org:transport/ebXML/DSTUv1.0" xmlns:xlink="http://www.w3.org/1999/xlink">
  <SOAP:Header>
    <eb:MessageHeader SOAP:mustUnderstand="1" eb:version="2.0">
      <eb:From><eb:PartyId eb:type="urn:nhs:names:partyType:ocs+serviceInstance">${partyKey}</eb:PartyId></eb:From>
      <eb:To><eb:PartyId eb:type="urn:nhs:names:partyType:ocs+serviceInstance">YES-0000806</eb:PartyId></eb:To>
      <eb:CPAId>S20001A000182</eb:CPAId>
      <eb:ConversationId>${messageId}</eb:ConversationId>
      <eb:Service>urn:nhs:names:services:psis</eb:Service>
      <eb:Action>REPC_IN150016UK05</eb:Action>
      <eb:MessageData>
        <eb:MessageId>${messageId}</eb:MessageId>
        <eb:Timestamp>${now}</eb:Timestamp>
      </eb:MessageData>
      <eb:DuplicateElimination/>
    </eb:MessageHeader>
    <eb:AckRequested SOAP:mustUnderstand="1" eb:version="2.0" eb:signed="false" SOAP:actor="urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH"/>
    <eb:SyncReply SOAP:mustUnderstand="1" eb:version="2.0" SOAP:actor="http://schemas.xmlsoap.org/soap/actor/next"/>
  </SOAP:Header>
  <SOAP:Body>
    <eb:Manifest SOAP:mustUnderstand="1" eb:version="2.0">
      <eb:Reference xlink:href="cid:${hl7Id}@spine.nhs.uk">
        <eb:Schema eb:location="http://www.nhsia.nhs.uk/schemas/HL7-Message.xsd" eb:version="1.0"/>
        <eb:Description xml:lang="en">HL7 payload</eb:Description>
        <hl7ebxml:Payload style="HL7" encoding="XML" version="3.0"/>
      </eb:Reference>
    </eb:Manifest>
  </SOAP:Body>
</SOAP:Envelope>`;
  const device = (id) =>
    `<device classCode="DEV" determinerCode="INSTANCE"><id root="1.2.826.0.1285.0.2.0.107" extension="${id}"/></device>`;
  const payload = `<REPC_IN150016UK05 xmlns="urn:hl7-org:v3"><id root="${hl7Id}"/><creationTime value="20240314130512"/><versionCode code="V3NPfIT3.0"/><interactionId root="2.16.840.1.113883.2.1.3.2.4.12" extension="REPC_IN150016UK05"/><processingCode code="P"/><processingModeCode code="T"/><acceptAckCode code="NE"/><communicationFunctionRcv typeCode="RCV">${device("928942012545")}</communicationFunctionRcv><communicationFunctionSnd typeCode="SND">${device(asid)}</communicationFunctionSnd><ControlActEvent classCode="CACT" moodCode="EVN"><author1 typeCode="AUT"><AgentSystemSDS classCode="AGNT"><agentSystemSDS classCode="DEV" determinerCode="INSTANCE"><id root="1.2.826.0.1285.0.2.0.107" extension="${asid}"/></agentSystemSDS></AgentSystemSDS></author1><subject typeCode="SUBJ"><summary/></subject></ControlActEvent></REPC_IN150016UK05>`;
  const body =
    `----=_MIME-Boundary\r\nContent-Id: <ebXMLHeader@spine.nhs.uk>\r\nContent-Type: text/xml\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${envelope}\r\n` +
    `----=_MIME-Boundary\r\nContent-Id: <${hl7Id}@spine.nhs.uk>\r\nContent-Type: application/xml\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${payload}\r\n` +
    `----=_MIME-Boundary--\r\n`;
  return {
    body,
    contentType:
      'multipart/related; boundary="--=_MIME-Boundary"; type="text/xml"; start="<ebXMLHeader@spine.nhs.uk>"',
  };
}
