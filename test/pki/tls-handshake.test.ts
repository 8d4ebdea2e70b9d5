/**
 * Real TLS handshakes on loopback sockets with the generated PKI: server authentication against our root
 * only, and mutual TLS with the CRL, at the TLS layer (no HTTP). Verification is never switched off.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  connect,
  createServer,
  type ConnectionOptions,
  type PeerCertificate,
  type SecureVersion,
  type Server,
  type TLSSocket,
} from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environments, serviceHostnames } from "../../src/config/environments.js";
import { ensurePki, type EndpointCredential, type Pki } from "../../src/tls/pki.js";

const SERVERNAME = "msg.int.spine2.ncrs.nhs.uk";

let dir: string;
let pki: Pki;
let endpoint: EndpointCredential;
let rootPem: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "spine-sim-tls-"));
  pki = await ensurePki({ certsDir: dir, env: environments.int });
  endpoint = pki.ensureEndpoint("mhs.supplier.example.nhs.uk");
  rootPem = readFileSync(pki.paths.rootCa, "utf8");
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  /** Set when the client received the server's greeting: the handshake fully succeeded. */
  readonly greeting?: string;
  readonly clientError?: Error & { code?: string };
  readonly clientAuthorized?: boolean;
  /** What the server saw: the peer CN of an accepted connection, or its handshake error. */
  readonly serverPeerCn?: string;
  readonly serverError?: Error & { code?: string };
}

/** One server per test; it greets accepted connections and records what happened on its side. */
async function withServer(
  options: Parameters<typeof createServer>[0],
  run: (
    port: number,
    serverSide: () => Promise<Pick<Outcome, "serverPeerCn" | "serverError">>,
  ) => Promise<void>,
): Promise<void> {
  let settle: (value: Pick<Outcome, "serverPeerCn" | "serverError">) => void = () => undefined;
  let pending = new Promise<Pick<Outcome, "serverPeerCn" | "serverError">>((resolve) => (settle = resolve));
  const server: Server = createServer(options, (socket: TLSSocket) => {
    // An empty object when the client sent no certificate (server-authentication-only tests).
    const peer: Partial<PeerCertificate> = socket.getPeerCertificate();
    const cn = peer.subject?.CN;
    settle({ serverPeerCn: Array.isArray(cn) ? cn.join(",") : (cn ?? "") });
    socket.end("hello\n");
  });
  server.on("tlsClientError", (error: Error) => {
    settle({ serverError: error });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await run((server.address() as AddressInfo).port, async () => {
      const result = await pending;
      pending = new Promise((resolve) => (settle = resolve));
      return result;
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

function connectClient(
  port: number,
  options: ConnectionOptions,
): Promise<Omit<Outcome, "serverPeerCn" | "serverError">> {
  return new Promise((resolve) => {
    let greeting = "";
    let clientError: (Error & { code?: string }) | undefined;
    let authorized: boolean | undefined;
    const socket = connect({ host: "127.0.0.1", port, servername: SERVERNAME, ...options });
    socket.on("secureConnect", () => (authorized = socket.authorized));
    socket.on("data", (chunk: Buffer) => (greeting += chunk.toString()));
    socket.on("error", (error: Error) => (clientError ??= error));
    socket.on("close", () => {
      resolve({
        ...(greeting === "" ? {} : { greeting }),
        ...(clientError === undefined ? {} : { clientError }),
        ...(authorized === undefined ? {} : { clientAuthorized: authorized }),
      });
    });
  });
}

describe("server authentication", () => {
  it.each([...serviceHostnames(environments.int), "localhost"])(
    "succeeds for servername %s with a client trusting only our root",
    async (servername) => {
      await withServer({ ...pki.tlsServerOptions(), minVersion: "TLSv1.2" }, async (port) => {
        const outcome = await connectClient(port, { ca: rootPem, servername, minVersion: "TLSv1.2" });
        expect(outcome.clientError).toBeUndefined();
        expect(outcome.clientAuthorized).toBe(true);
        expect(outcome.greeting).toBe("hello\n");
      });
    },
  );

  it("fails for a client trusting only the foreign root", async () => {
    await withServer({ ...pki.tlsServerOptions(), minVersion: "TLSv1.2" }, async (port) => {
      const outcome = await connectClient(port, {
        ca: readFileSync(pki.paths.faults.foreignRoot),
        minVersion: "TLSv1.2",
      });
      expect(outcome.greeting).toBeUndefined();
      expect(outcome.clientError?.code).toMatch(
        /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
      );
    });
  });

  it("fails for a host name the certificate does not carry", async () => {
    await withServer({ ...pki.tlsServerOptions(), minVersion: "TLSv1.2" }, async (port) => {
      const outcome = await connectClient(port, { ca: rootPem, servername: "msg.example.com" });
      expect(outcome.clientError?.code).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    });
  });
});

const versions: SecureVersion[] = ["TLSv1.2", "TLSv1.3"];

describe.each(versions)("mutual TLS over %s", (version) => {
  function mtlsServerOptions(): Parameters<typeof createServer>[0] {
    const { key, cert, ca, crl } = pki.tlsServerOptions();
    return {
      key,
      cert,
      ca,
      crl,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
      maxVersion: version,
    };
  }

  function clientWith(files: { cert: string; key: string } | undefined): ConnectionOptions {
    return {
      ca: rootPem,
      minVersion: "TLSv1.2",
      maxVersion: version,
      ...(files === undefined ? {} : { cert: readFileSync(files.cert), key: readFileSync(files.key) }),
    };
  }

  it("accepts the endpoint certificate and shows its CN to the server", async () => {
    await withServer(mtlsServerOptions(), async (port, serverSide) => {
      const outcome = await connectClient(port, clientWith(endpoint));
      expect(outcome.clientError).toBeUndefined();
      expect(outcome.greeting).toBe("hello\n");
      expect(await serverSide()).toEqual({ serverPeerCn: "mhs.supplier.example.nhs.uk" });
    });
  });

  it("accepts msg-out, Spine's own outbound identity", async () => {
    await withServer(mtlsServerOptions(), async (port, serverSide) => {
      const outcome = await connectClient(
        port,
        clientWith({ cert: pki.paths.msgOutCert, key: pki.paths.msgOutKey }),
      );
      expect(outcome.greeting).toBe("hello\n");
      expect(await serverSide()).toEqual({ serverPeerCn: environments.int.hosts.messagingOut });
    });
  });

  // Node verifies the client chain after the handshake and then just drops the socket, so neither side
  // learns the reason; the openssl tests pin the reasons, and the last two tests here show that the CRL
  // and the trust anchors are what refuse the revoked and foreign certificates.
  const refusals: Array<[string, () => { cert: string; key: string } | undefined]> = [
    ["no certificate", () => undefined],
    ["the foreign-CA certificate", () => pki.paths.faults.foreignCa],
    ["the expired certificate", () => pki.paths.faults.expired],
    ["the not-yet-valid certificate", () => pki.paths.faults.notYetValid],
    ["the revoked certificate", () => pki.paths.faults.revoked],
  ];

  it.each(refusals)("refuses %s", async (_name, files) => {
    await withServer(mtlsServerOptions(), async (port, serverSide) => {
      const outcome = await connectClient(port, clientWith(files()));
      expect(outcome.greeting).toBeUndefined();
      const server = await serverSide();
      expect(server.serverPeerCn).toBeUndefined();
      expect(server.serverError).toBeInstanceOf(Error);
    });
  });

  it("says why when there is no certificate at all", async () => {
    await withServer(mtlsServerOptions(), async (port, serverSide) => {
      const outcome = await connectClient(port, clientWith(undefined));
      expect(outcome.clientError?.message).toMatch(/certificate required|handshake failure/);
      expect((await serverSide()).serverError?.code).toBe("ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE");
    });
  });

  it("accepts the revoked certificate when the server is given no CRL", async () => {
    const withoutCrl = mtlsServerOptions();
    delete withoutCrl.crl;
    await withServer(withoutCrl, async (port, serverSide) => {
      const outcome = await connectClient(port, clientWith(pki.paths.faults.revoked));
      expect(outcome.greeting).toBe("hello\n");
      expect(await serverSide()).toEqual({ serverPeerCn: "revoked.fault.spine-sim.test" });
    });
  });

  it("accepts the foreign-CA certificate when the server trusts the foreign root instead", async () => {
    const options = { ...mtlsServerOptions(), ca: readFileSync(pki.paths.faults.foreignRoot) };
    delete options.crl;
    await withServer(options, async (port, serverSide) => {
      const outcome = await connectClient(port, clientWith(pki.paths.faults.foreignCa));
      expect(outcome.greeting).toBe("hello\n");
      expect(await serverSide()).toEqual({ serverPeerCn: "foreign-ca.fault.spine-sim.test" });
    });
  });
});
