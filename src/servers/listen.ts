/**
 * Binds a server and resolves to its address, turning "port in use" into an error that names the
 * port and the setting that chose it. Closing waits for open connections to end.
 */
import type { Server as NetServer, AddressInfo, Socket } from "node:net";
import { SimError } from "../core/errors.js";
import { flagName, type SettingName } from "../config/config-schema.js";

export interface Listening {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** In-flight requests get this long to finish when a listener stops; then their sockets are closed. */
const gracePeriodMs = 1000;

export function listen(
  server: NetServer,
  host: string,
  port: number,
  setting: SettingName,
): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off("listening", onListening);
      const code = error.code === "EADDRINUSE" || error.code === "EACCES" ? "PORT_IN_USE" : "LISTEN_FAILED";
      const why =
        error.code === "EADDRINUSE"
          ? "is already in use"
          : error.code === "EACCES"
            ? "needs privileges"
            : `failed: ${error.message}`;
      reject(
        new SimError(code, `Port ${port} on ${host} (${flagName(setting)}) ${why}`, {
          hint: `Stop whatever holds it, or choose another port with ${flagName(setting)} (0 picks a free one).`,
          details: { setting, value: port, host },
          cause: error,
        }),
      );
    };
    const onListening = (): void => {
      server.off("error", onError);
      const address = server.address() as AddressInfo;
      resolve({ host, port: address.port, close: () => closeServer(server, sockets) });
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

function closeServer(server: NetServer, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      for (const socket of sockets) socket.destroy();
    }, gracePeriodMs);
    server.close((error) => {
      clearTimeout(timer);
      if (error === undefined) resolve();
      else reject(error);
    });
    // Idle keep-alive (HTTP) and long-lived (LDAP) connections would hold close() open.
    const http = server as { closeIdleConnections?: () => void };
    if (http.closeIdleConnections === undefined) for (const socket of sockets) socket.end();
    else http.closeIdleConnections();
  });
}

/** `https://127.0.0.1:8443`, with IPv6 hosts bracketed. */
export function urlOf(scheme: string, listening: Pick<Listening, "host" | "port">): string {
  const host = listening.host.includes(":") ? `[${listening.host}]` : listening.host;
  return `${scheme}://${host}:${listening.port}`;
}
